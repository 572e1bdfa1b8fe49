/** @type {import('next').NextConfig} */
const nextConfig = {
  // NEXT_DIST_DIR lets parallel builds (several developers on one machine) keep separate outputs.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  reactStrictMode: true,
  poweredByHeader: false,
  // Native and Node-only packages stay outside the server bundle.
  // The OpenTelemetry SDK and prom-client too: one copy of their process-wide state per process.
  serverExternalPackages: [
    "better-sqlite3",
    "pino",
    "nodemailer",
    "jsonata",
    "prom-client",
    "@opentelemetry/api",
    "@opentelemetry/sdk-trace-node",
    "@opentelemetry/sdk-trace-base",
    "@opentelemetry/exporter-trace-otlp-http",
    "@opentelemetry/resources",
    "@opentelemetry/semantic-conventions",
  ],
  typedRoutes: false,
  // forbidden() answers UI pages with a real 403 (a sync_api-only account, a missing role).
  experimental: { authInterrupts: true },
  // Issue 12: nosniff, referrer policy and no framing on every response, API and static files
  // included (server/http/security-headers.ts holds the same list; proxy.ts adds the CSP).
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
    ];
  },
};

export default nextConfig;

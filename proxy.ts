import { type NextRequest, NextResponse } from "next/server";
import { malformedPathResponse, pathDecodes } from "@/server/http/path-guard";
import { contentSecurityPolicy, hstsValue, servedOverHttps } from "./server/http/security-headers";

// Next 16's proxy (formerly middleware), for two jobs:
// - a path whose percent-encoding does not decode answers 400 before routing (Next answered 500);
// - every page gets a fresh CSP nonce: Next reads the policy from the request headers and puts the
//   nonce on its own scripts; the browser gets the same policy on the response.
// API routes are matched only for malformed paths: for every request the proxy matches, Next
// buffers the body (cut at 10 MiB) before the route sees it, which would break streamed
// attachment uploads and the 413-before-reading limits.
export function proxy(request: NextRequest): Response {
  const path = request.nextUrl.pathname;
  if (!pathDecodes(path)) return malformedPathResponse();
  if (path.startsWith("/api/") || path.startsWith("/_next/")) return NextResponse.next();
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString("base64");
  const policy = contentSecurityPolicy(nonce, process.env.NODE_ENV === "development");
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  if (
    servedOverHttps(request.headers, {
      TANDEM_PUBLIC_URL: process.env.TANDEM_PUBLIC_URL,
      TANDEM_TRUSTED_PROXIES: process.env.TANDEM_TRUSTED_PROXIES,
    })
  )
    response.headers.set("Strict-Transport-Security", hstsValue);
  return response;
}

export const config = {
  matcher: [
    // A "%" not followed by two hex digits…
    "/(.*%(?![0-9A-Fa-f][0-9A-Fa-f]).*)",
    // …or an encoded byte above 0x7f, which may not be UTF-8.
    "/(.*%[89A-Fa-f][0-9A-Fa-f].*)",
    // Pages (not API routes, static files or prefetches): the CSP nonce.
    {
      source: "/((?!api/|_next/static|_next/image|icon.svg).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};

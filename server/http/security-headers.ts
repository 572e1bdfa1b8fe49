import type { BlockList } from "node:net";
import { forwardedHttps, parseCidrList } from "../net/client-address";

// Security headers (issue 12). Pages get a strict, per-request-nonce Content-Security-Policy
// from proxy.ts; every response (pages, API, static files) gets the static ones from
// next.config.js. Kept here so the two and the tests agree on one list.

/** Sent on every response, API included. */
export const staticSecurityHeaders: ReadonlyArray<{ key: string; value: string }> = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "X-Frame-Options", value: "DENY" },
];

export const hstsValue = "max-age=31536000; includeSubDomains";

/**
 * Scripts: only those carrying this request's nonce, and what they load ('strict-dynamic');
 * no 'unsafe-eval' outside `next dev` (React needs eval only for its dev tooling). Styles allow
 * inline attributes: React Flow positions nodes with style attributes, and a style cannot run
 * code. Nothing may frame a page (clickjacking).
 */
export function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

let proxies: { text: string; list: BlockList | null } | undefined;

function trustedProxies(text: string): BlockList | null {
  if (proxies?.text !== text)
    proxies = { text, list: text ? parseCidrList(text, "TANDEM_TRUSTED_PROXIES") : null };
  return proxies.list;
}

/** HTTPS when the public URL says so, or a trusted proxy forwarded an https request. */
export function servedOverHttps(
  headers: Headers,
  env: { TANDEM_PUBLIC_URL?: string | undefined; TANDEM_TRUSTED_PROXIES?: string | undefined },
): boolean {
  if ((env.TANDEM_PUBLIC_URL ?? "").toLowerCase().startsWith("https:")) return true;
  return forwardedHttps(headers, trustedProxies(env.TANDEM_TRUSTED_PROXIES ?? ""));
}

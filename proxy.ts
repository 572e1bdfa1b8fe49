import { type NextRequest, NextResponse } from "next/server";
import { contentSecurityPolicy, hstsValue, servedOverHttps } from "./server/http/security-headers";

// Next 16's proxy (formerly middleware): a fresh CSP nonce for every page request. Next reads
// the policy from the request headers and puts the nonce on its own scripts; the browser gets
// the same policy on the response. API routes are left out: they render no HTML, and a proxy
// in front of them would buffer request bodies (attachments) for nothing.
export function proxy(request: NextRequest) {
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
    {
      source: "/((?!api/|_next/static|_next/image|icon.svg).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};

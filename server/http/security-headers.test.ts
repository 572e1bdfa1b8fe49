import { describe, expect, it } from "vitest";
import { peerAddressHeader } from "../net/client-address";
import { contentSecurityPolicy, servedOverHttps } from "./security-headers";

describe("page security headers", () => {
  it("the policy allows scripts only by nonce (plus what they load), and eval only in next dev", () => {
    const csp = contentSecurityPolicy("abc123", false);
    expect(csp).toContain("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-eval");
    expect(contentSecurityPolicy("abc123", true)).toContain("'unsafe-eval'");
  });

  it("HSTS when the public URL is https, or a trusted proxy forwarded https; never on a client's word", () => {
    const plain = new Headers({ [peerAddressHeader]: "203.0.113.5", "x-forwarded-proto": "https" });
    expect(servedOverHttps(plain, { TANDEM_PUBLIC_URL: "https://tandem.example.com" })).toBe(true);
    expect(servedOverHttps(plain, { TANDEM_PUBLIC_URL: "http://localhost:3000" })).toBe(false);
    expect(servedOverHttps(plain, { TANDEM_TRUSTED_PROXIES: "10.0.0.0/8" })).toBe(false);
    const proxied = new Headers({ [peerAddressHeader]: "10.0.0.2", "x-forwarded-proto": "https" });
    expect(servedOverHttps(proxied, { TANDEM_TRUSTED_PROXIES: "10.0.0.0/8" })).toBe(true);
  });
});

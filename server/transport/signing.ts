import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";

// Standard Webhooks signatures (HMAC-SHA256 over `id.timestamp.body`, timestamps more than
// 5 minutes off rejected) through the reference library, so peers can verify with any
// Standard Webhooks implementation.

export interface SignatureHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

/** A new pair signing secret in the Standard Webhooks format ("whsec_" + base64 of 32 bytes). */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

export function sign(secret: string, id: string, body: string, at = new Date()): SignatureHeaders {
  const timestamp = Math.floor(at.getTime() / 1000);
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": new Webhook(secret).sign(id, at, body),
  };
}

/** Throws with a reason when the signature or timestamp does not verify. */
export function verify(secret: string, body: string, headers: Record<string, string>): void {
  // Parsing is the caller's job: a well-signed malformed body is a 400, not a 401.
  new Webhook(secret).verify(body, headers, { jsonParse: false });
}

/** The webhook-* headers of a request, or null when one is missing. */
export function signatureHeaders(get: (name: string) => string | null): SignatureHeaders | null {
  const id = get("webhook-id");
  const timestamp = get("webhook-timestamp");
  const signature = get("webhook-signature");
  if (!id || !timestamp || !signature) return null;
  return { "webhook-id": id, "webhook-timestamp": timestamp, "webhook-signature": signature };
}

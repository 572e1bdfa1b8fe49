import { createHmac, timingSafeEqual } from "node:crypto";

// Standard Webhooks signatures (HMAC-SHA256 over `id.timestamp.body`, timestamps more than
// 5 minutes off rejected), so peers can verify with any Standard Webhooks implementation.
// Computed with node:crypto rather than the reference library, whose pure-JS SHA-256 took ~8%
// of a receiver's CPU in a burst; signing.test.ts checks both ways against the reference library.

const PREFIX = "whsec_";
const TOLERANCE_SECONDS = 5 * 60;

/** Why a signature did not verify (the reference library's messages). */
export class SignatureError extends Error {
  override name = "WebhookVerificationError";
}

const keyOf = (secret: string): Buffer => {
  const key = Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, "base64");
  if (key.length === 0) throw new Error("Secret can't be empty.");
  return key;
};

const signature = (secret: string, id: string, timestamp: number, body: string): string =>
  createHmac("sha256", keyOf(secret)).update(`${id}.${timestamp}.${body}`).digest("base64");

export interface SignatureHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

export function sign(secret: string, id: string, body: string, at = new Date()): SignatureHeaders {
  const timestamp = Math.floor(at.getTime() / 1000);
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": `v1,${signature(secret, id, timestamp, body)}`,
  };
}

/** Throws with a reason when the signature or timestamp does not verify. */
export function verify(secret: string, body: string, headers: Record<string, string>): void {
  // Parsing is the caller's job: a well-signed malformed body is a 400, not a 401.
  const id = headers["webhook-id"];
  const passed = headers["webhook-signature"];
  const stamp = headers["webhook-timestamp"];
  if (!id || !passed || !stamp) throw new SignatureError("Missing required headers");
  const timestamp = Number.parseInt(stamp, 10);
  if (Number.isNaN(timestamp)) throw new SignatureError("Invalid Signature Headers");
  const now = Math.floor(Date.now() / 1000);
  if (now - timestamp > TOLERANCE_SECONDS) throw new SignatureError("Message timestamp too old");
  if (timestamp > now + TOLERANCE_SECONDS) throw new SignatureError("Message timestamp too new");
  const expected = Buffer.from(signature(secret, id, timestamp, body));
  for (const versioned of passed.split(" ")) {
    const [version, value] = versioned.split(",");
    if (version !== "v1" || value === undefined) continue;
    const given = Buffer.from(value);
    if (given.length === expected.length && timingSafeEqual(given, expected)) return;
  }
  throw new SignatureError("No matching signature found");
}

/** The webhook-* headers of a request, or null when one is missing. */
export function signatureHeaders(get: (name: string) => string | null): SignatureHeaders | null {
  const id = get("webhook-id");
  const timestamp = get("webhook-timestamp");
  const signature = get("webhook-signature");
  if (!id || !timestamp || !signature) return null;
  return { "webhook-id": id, "webhook-timestamp": timestamp, "webhook-signature": signature };
}

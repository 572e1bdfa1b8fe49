import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { SecretBox } from "../sync/secrets";

/** What a synthetic key stands for: one attachment, offered to one remote, for one record. */
export interface KeyClaims {
  attachmentSysId: string;
  remoteSystemId: string;
  table: string;
  recordSysId: string;
  expiresAt: number;
}

export type KeyProblem = { status: 401; reason: "tampered" } | { status: 403; reason: "expired" | "foreign" };

/**
 * Synthetic attachment keys (SPEC 3.6): the claims sealed with AES-256-GCM under a key only the
 * sender holds, so a receiver can neither forge nor enumerate keys, and a key offered to one
 * remote is useless to another. Opaque to everyone but the sender.
 */
export class AttachmentKeys {
  private readonly key: Buffer;

  constructor(
    secrets: SecretBox,
    private readonly ttlMs: number,
  ) {
    this.key = secrets.subkey("attachment-keys");
  }

  issue(claims: Omit<KeyClaims, "expiresAt">, now = Date.now()): string {
    const plain = JSON.stringify([
      claims.attachmentSysId,
      claims.remoteSystemId,
      claims.table,
      claims.recordSysId,
      now + this.ttlMs,
    ]);
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    return `ak1.${Buffer.concat([iv, cipher.getAuthTag(), data]).toString("base64url")}`;
  }

  /** The claims of a key presented by `remoteSystemId`, or why it is refused. */
  check(
    key: string,
    remoteSystemId: string,
    now = Date.now(),
  ): { ok: true; claims: KeyClaims } | ({ ok: false } & KeyProblem) {
    const claims = this.open(key);
    if (!claims) return { ok: false, status: 401, reason: "tampered" };
    if (claims.remoteSystemId !== remoteSystemId) return { ok: false, status: 403, reason: "foreign" };
    if (claims.expiresAt < now) return { ok: false, status: 403, reason: "expired" };
    return { ok: true, claims };
  }

  private open(key: string): KeyClaims | null {
    if (!key.startsWith("ak1.")) return null;
    const raw = Buffer.from(key.slice(4), "base64url");
    if (raw.length < 29) return null;
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      const plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
      const [attachmentSysId, remote, table, recordSysId, expiresAt] = JSON.parse(plain) as [
        string,
        string,
        string,
        string,
        number,
      ];
      return { attachmentSysId, remoteSystemId: remote, table, recordSysId, expiresAt };
    } catch {
      return null;
    }
  }
}

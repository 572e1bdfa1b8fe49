import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

// Secrets of remote systems are encrypted at rest with AES-256-GCM under a key kept outside
// the database: TANDEM_SECRET_KEY (64 hex chars) or a key file created once in the data folder
// with owner-only permissions. A stolen database file alone does not reveal credentials.

export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  static fromEnvOrFile(dataDir: string, envKey = process.env.TANDEM_SECRET_KEY): SecretBox {
    if (envKey) {
      if (!/^[0-9a-f]{64}$/i.test(envKey)) throw new Error("TANDEM_SECRET_KEY must be 64 hex characters");
      return new SecretBox(Buffer.from(envKey, "hex"));
    }
    const file = path.join(dataDir, "secret.key");
    if (!fs.existsSync(file)) {
      fs.mkdirSync(dataDir, { recursive: true });
      fs.writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600, flag: "wx" });
    }
    return new SecretBox(Buffer.from(fs.readFileSync(file, "utf8").trim(), "hex"));
  }

  /**
   * The key of an instance: TANDEM_SECRET_KEY, or on SQLite the key file of the data folder. On
   * PostgreSQL the processes of the instance share no folder, so the key must be given.
   */
  static forInstance(
    dataDir: string,
    onPostgres: boolean,
    envKey = process.env.TANDEM_SECRET_KEY,
  ): SecretBox {
    if (onPostgres && !envKey) {
      throw new Error(
        "TANDEM_SECRET_KEY is missing: an instance on PostgreSQL (TANDEM_DATABASE_URL) needs its secret key " +
          "given to every process, 64 hex characters (create one with: openssl rand -hex 32).",
      );
    }
    return SecretBox.fromEnvOrFile(dataDir, envKey);
  }

  /** A value that tells keys apart without revealing them (stored by the instance, compared at start). */
  checkValue(): string {
    return this.subkey("key check").toString("hex").slice(0, 32);
  }

  static forTests(): SecretBox {
    return new SecretBox(randomBytes(32));
  }

  /** A key for one purpose (e.g. attachment keys), derived so no two uses share key material. */
  subkey(purpose: string): Buffer {
    return Buffer.from(hkdfSync("sha256", this.key, Buffer.alloc(0), `tandem:${purpose}`, 32));
  }

  /** "v1.iv.tag.ciphertext" (base64url parts); "" stays "" (no secret set). */
  seal(plain: string): string {
    if (plain === "") return "";
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    return [
      "v1",
      iv.toString("base64url"),
      cipher.getAuthTag().toString("base64url"),
      data.toString("base64url"),
    ].join(".");
  }

  open(sealed: string): string {
    if (sealed === "") return "";
    const [version, iv, tag, data] = sealed.split(".");
    if (version !== "v1" || !iv || !tag || data === undefined) throw new Error("Unreadable sealed secret");
    const decipher = createDecipheriv("aes-256-gcm", this.key, Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString(
      "utf8",
    );
  }
}

/** A new pair signing secret in the Standard Webhooks format ("whsec_" + base64 of 32 bytes). */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

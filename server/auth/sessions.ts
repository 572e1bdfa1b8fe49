import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../db/client";

export const sessionCookie = "tandem_session";

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** UI sessions: the cookie holds a random token; the database holds only its hash. */
export class SessionStore {
  private readonly sql;

  constructor(
    db: Db,
    private readonly lifetimeMs: number,
  ) {
    const c = db.$client;
    this.sql = {
      insert: c.prepare(
        "INSERT INTO session (token_hash, user_sys_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
      ),
      get: c.prepare<[string, number], { user_sys_id: string }>(
        "SELECT user_sys_id FROM session WHERE token_hash = ? AND expires_at > ?",
      ),
      delete: c.prepare("DELETE FROM session WHERE token_hash = ?"),
      purge: c.prepare("DELETE FROM session WHERE expires_at <= ?"),
    };
  }

  create(userSysId: string): { token: string; expiresAt: Date } {
    const token = randomBytes(32).toString("base64url");
    const now = Date.now();
    this.sql.purge.run(now);
    this.sql.insert.run(hashToken(token), userSysId, now, now + this.lifetimeMs);
    return { token, expiresAt: new Date(now + this.lifetimeMs) };
  }

  /** The user of a live session, or null. */
  userOf(token: string): string | null {
    return this.sql.get.get(hashToken(token), Date.now())?.user_sys_id ?? null;
  }

  end(token: string): void {
    this.sql.delete.run(hashToken(token));
  }
}

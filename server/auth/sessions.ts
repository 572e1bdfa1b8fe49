import { createHash, randomBytes } from "node:crypto";
import { get, type Plan, run, type Storage, sql } from "../storage";

export const sessionCookie = "tandem_session";

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

const Q = {
  insert: sql("INSERT INTO session (token_hash, user_sys_id, created_at, expires_at) VALUES (?, ?, ?, ?)"),
  get: sql<{ user_sys_id: string }>(
    "SELECT user_sys_id FROM session WHERE token_hash = ? AND expires_at > ?",
  ),
  delete: sql("DELETE FROM session WHERE token_hash = ?"),
  purge: sql("DELETE FROM session WHERE expires_at <= ?"),
};

/** The session store's work as plans (server/storage/plan.ts), one text for both dialects. */
export const sessionPlans = {
  /** Drops the expired sessions, then stores the new one (by the hash of its token). */
  *create(tokenHash: string, userSysId: string, now: number, expiresAt: number): Plan<void> {
    yield* run(Q.purge, now);
    yield* run(Q.insert, tokenHash, userSysId, now, expiresAt);
  },

  *userOf(tokenHash: string, now: number): Plan<string | null> {
    return (yield* get(Q.get, tokenHash, now))?.user_sys_id ?? null;
  },

  *end(tokenHash: string): Plan<void> {
    yield* run(Q.delete, tokenHash);
  },
};

/**
 * UI sessions: the cookie holds a random token; the database holds only its hash. Nothing is
 * cached in the process, so a session ended by one process of an instance is ended in all.
 */
export class SessionStore {
  constructor(
    private readonly storage: Storage,
    private readonly lifetimeMs: number,
  ) {}

  async create(userSysId: string): Promise<{ token: string; expiresAt: Date }> {
    const token = randomBytes(32).toString("base64url");
    const now = Date.now();
    const expiresAt = now + this.lifetimeMs;
    await this.storage.write(() => sessionPlans.create(hashToken(token), userSysId, now, expiresAt));
    return { token, expiresAt: new Date(expiresAt) };
  }

  /** The user of a live session, or null. */
  userOf(token: string): Promise<string | null> {
    return this.storage.read(sessionPlans.userOf(hashToken(token), Date.now()));
  }

  end(token: string): Promise<void> {
    return this.storage.write(() => sessionPlans.end(hashToken(token)));
  }
}

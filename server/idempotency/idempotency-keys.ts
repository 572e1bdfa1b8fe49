import { createHash } from "node:crypto";
import { get, type Plan, run, type Storage, sql } from "../storage";

// The idempotency keys of flows' side effects (SPEC 3.9): a step that created something records
// its key with the result, so a re-run of the same step finds it instead of creating it twice.
// The first result recorded wins (a second save is ignored), on both dialects.
//
// A key is stored as the first 22 characters of its SHA-256 in base64url (132 bits): the keys
// spelt out (`in:<remote id>:<message id>:<node>:<operation>`, ~80 characters, in the table and
// again in its primary-key index) took ~270 bytes per synced record on the receiver, ~40% of it
// key text (issue 14). A key written spelt out before is still found (they are purged after the
// retention period; a digest has no ":" so the two never meet).

/** The stored form of a key. */
export function storedKey(key: string): string {
  return createHash("sha256").update(key).digest("base64url").slice(0, 22);
}

const Q = {
  // a key spelt out (written before digests) was recorded first: it wins
  find: sql<{ result: string }>(
    "SELECT result FROM idempotency_key WHERE key IN (?, ?) ORDER BY CASE WHEN key = ? THEN 0 ELSE 1 END LIMIT 1",
  ),
  save: sql({
    sqlite: "INSERT OR IGNORE INTO idempotency_key (key, result, created_at) VALUES (?, ?, ?)",
    postgres:
      "INSERT INTO idempotency_key (key, result, created_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING",
  }),
  purge: sql("DELETE FROM idempotency_key WHERE created_at < ?"),
  forget: sql("DELETE FROM idempotency_key WHERE key = ?"),
};

/** The store's work as plans, to compose into a larger transaction (`yield* idempotencyKeyPlans.find(…)`). */
export const idempotencyKeyPlans = {
  *find(key: string): Plan<string | undefined> {
    return (yield* get(Q.find, storedKey(key), key, key))?.result;
  },

  /** Records the result of `key`; false when the key already had one (which is kept). */
  *save(key: string, result: string, now = Date.now()): Plan<boolean> {
    return (yield* run(Q.save, storedKey(key), result, now)).changes > 0;
  },

  /** Drops these keys (their effects can never run again); how many were there. */
  *forget(keys: readonly string[]): Plan<number> {
    let n = 0;
    for (const key of keys) n += (yield* run(Q.forget, storedKey(key))).changes;
    return n;
  },

  /** Drops the keys recorded before `before` (queue retention); how many. */
  *purgeBefore(before: number): Plan<number> {
    return (yield* run(Q.purge, before)).changes;
  },
};

export class IdempotencyKeys {
  constructor(private readonly storage: Storage) {}

  find(key: string): Promise<string | undefined> {
    return this.storage.read(idempotencyKeyPlans.find(key));
  }

  save(key: string, result: string): Promise<boolean> {
    return this.storage.write(() => idempotencyKeyPlans.save(key, result));
  }

  purgeBefore(before: number): Promise<number> {
    return this.storage.write(() => idempotencyKeyPlans.purgeBefore(before));
  }
}

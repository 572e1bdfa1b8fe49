import { get, type Plan, run, type Storage, sql } from "../storage";

// The idempotency keys of flows' side effects (SPEC 3.9): a step that created something records
// its key with the result, so a re-run of the same step finds it instead of creating it twice.
// The first result recorded wins (a second save is ignored), on both dialects.

const Q = {
  find: sql<{ result: string }>("SELECT result FROM idempotency_key WHERE key = ?"),
  save: sql({
    sqlite: "INSERT OR IGNORE INTO idempotency_key (key, result, created_at) VALUES (?, ?, ?)",
    postgres:
      "INSERT INTO idempotency_key (key, result, created_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING",
  }),
  purge: sql("DELETE FROM idempotency_key WHERE created_at < ?"),
};

/** The store's work as plans, to compose into a larger transaction (`yield* idempotencyKeyPlans.find(…)`). */
export const idempotencyKeyPlans = {
  *find(key: string): Plan<string | undefined> {
    return (yield* get(Q.find, key))?.result;
  },

  /** Records the result of `key`; false when the key already had one (which is kept). */
  *save(key: string, result: string, now = Date.now()): Plan<boolean> {
    return (yield* run(Q.save, key, result, now)).changes > 0;
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

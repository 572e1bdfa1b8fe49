import type { Plan, Storage } from "../storage";
import { SqliteStorage } from "../storage/sqlite";

/**
 * Runs a plan in a transaction of its own, synchronously: SQLite only, for callers that must
 * know their commit is done before they go on without awaiting (the accept's fsync starts right
 * after it, so commits made meanwhile share it). A better-sqlite3 transaction, so a COMMIT that fails (disk full) is rolled
 * back, which a bare savepoint would leave open.
 */
export function sqliteTransactionSync<T>(storage: Storage, caller: string, make: () => Plan<T>): T {
  if (!(storage instanceof SqliteStorage))
    throw new Error(`${caller} runs synchronously on SQLite only, not on ${storage.dialect} (issue 13)`);
  return storage.sqlite.transaction(() => storage.runSync(make()))();
}

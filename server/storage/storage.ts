import type { Dialect, Plan } from "./plan";
import type { Signals } from "./signals";

/**
 * The storage of an instance (issue 13), below every store and service: the one place that knows
 * which database is underneath. Stores describe their work as plans (plan.ts) and run them here.
 */
export interface Storage {
  readonly dialect: Dialect;
  /** "Something changed" between the processes of the instance (wake-ups, cache reloads). */
  readonly signals: Signals;
  /** Runs a plan outside any transaction (each statement on its own: reads, single writes). */
  read<T>(plan: Plan<T>): Promise<T>;
  /**
   * Runs a plan in one transaction of its own; settles after COMMIT. `make` may be called again
   * when PostgreSQL reports a serialization failure or deadlock, so it must build a fresh plan.
   */
  transaction<T>(make: () => Plan<T>): Promise<T>;
  /**
   * A write that may share its commit with the others of the same turn (group commit): on SQLite
   * a savepoint in the group's transaction (server/db/group-commit.ts), on PostgreSQL a
   * transaction of its own on the pool (the server groups concurrent commits' WAL flushes
   * itself). Settles after the commit; a write that throws undoes only itself.
   */
  write<T>(make: () => Plan<T>): Promise<T>;
  /**
   * Runs a plan in a transaction that is always rolled back ("Try with draft"): the plan sees its
   * own writes and the answer is what it returned or threw, and the database is left as it was.
   */
  rehearse<T>(make: () => Plan<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * SQLite's storage runs plans synchronously as well: inside GroupCommit's synchronous transaction,
 * and for the few reads that a process on SQLite may make at once (a lazily loaded snapshot).
 */
export interface SyncStorage extends Storage {
  readonly dialect: "sqlite";
  runSync<T>(plan: Plan<T>): T;
}

export function isSync(storage: Storage): storage is SyncStorage {
  return storage.dialect === "sqlite" && "runSync" in storage;
}

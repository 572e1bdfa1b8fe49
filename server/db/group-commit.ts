import type Database from "better-sqlite3";

/**
 * Group commit: writes queued during one turn of the event loop run together in ONE
 * transaction at the next `setImmediate`, each in its own savepoint, and every caller's
 * promise settles only after that transaction has committed.
 *
 * Why: a SQLite commit costs far more than the small writes a flow makes (measured: ~300 µs
 * per commit against 5–60 µs per statement), so a burst of concurrent flows sharing one
 * commit moves several times the records. Why this shape: the transaction is opened and
 * committed inside one synchronous callback, so no other code can slip its writes into it
 * across an `await` and acknowledge them before they are on disk (better-sqlite3 has one
 * connection). A write that throws rolls back its own savepoint and fails alone; a commit that
 * fails (disk full) fails every write of the group, and none of them is applied.
 *
 * This is the one seam for grouped writes: on PostgreSQL it maps to one transaction with
 * savepoints.
 */
export class GroupCommit {
  private queue: Array<Pending<unknown>> = [];
  private scheduled = false;
  /**
   * The group's transaction and each write's savepoint in it (a better-sqlite3 transaction
   * function called inside a transaction is a savepoint), made once: making one per write cost
   * more than some of the writes.
   */
  private readonly inTransaction: (group: Array<Pending<unknown>>, outcomes: Outcome[]) => void;
  private readonly inSavepoint: (pending: Pending<unknown>) => unknown;

  constructor(
    sqlite: Database.Database,
    private readonly options: {
      /** Binds a queued write to the caller's context (tracing), so its spans keep their parent. */
      bind?: <T>(fn: () => T) => () => T;
      /** Called after each group's transaction with its duration and size. */
      observe?: (ms: number, writes: number) => void;
    } = {},
  ) {
    this.inSavepoint = sqlite.transaction((pending: Pending<unknown>) => settledNow(pending.run()));
    this.inTransaction = sqlite.transaction((group: Array<Pending<unknown>>, outcomes: Outcome[]) => {
      for (const pending of group) {
        // A nested better-sqlite3 transaction is a savepoint: a write that throws undoes only itself.
        try {
          outcomes.push({ ok: true, value: this.inSavepoint(pending) });
        } catch (error) {
          outcomes.push({ ok: false, error });
        }
      }
    });
  }

  /** Queues a synchronous write; resolves with its result once the group it ran in has committed. */
  write<T>(fn: () => T): Promise<T> {
    const run = this.options.bind ? this.options.bind(fn) : fn;
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run, resolve, reject } as Pending<unknown>);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Runs every queued write in one transaction, then settles them. Never throws. */
  private flush(): void {
    this.scheduled = false;
    const group = this.queue;
    this.queue = [];
    if (group.length === 0) return;
    const outcomes: Outcome[] = [];
    const t0 = performance.now();
    try {
      this.inTransaction(group, outcomes);
    } catch (error) {
      // BEGIN or COMMIT failed: the whole group was rolled back, so no write of it happened.
      for (const pending of group) pending.reject(error);
      return;
    } finally {
      this.options.observe?.(performance.now() - t0, group.length);
    }
    group.forEach((pending, i) => {
      const outcome = outcomes[i];
      if (outcome?.ok) pending.resolve(outcome.value);
      else pending.reject(outcome?.error);
    });
  }
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

interface Pending<T> {
  run: () => T;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

/**
 * A write's result, refused when it is a promise: the work behind it would run after this
 * group's commit, outside its transaction, while the caller was told it had committed (an async
 * store called from a write body). Thrown inside the write's savepoint, which undoes it.
 */
function settledNow<T>(value: T): T {
  if (typeof (value as { then?: unknown } | null)?.then === "function")
    throw new Error("A group-commit write must be synchronous: it returned a promise");
  return value;
}

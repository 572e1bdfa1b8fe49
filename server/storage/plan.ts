// Plans (issue 13): the storage work of a store, written once for both dialects.
//
// A plan is a generator that yields the statements it needs and gets their results back. The
// driver of the dialect runs it: on SQLite synchronously on the one connection (so a
// transaction's body still runs without any other code in between, exactly as today's
// better-sqlite3 transactions, and nothing is paid for promises), on PostgreSQL with an await per
// statement on a pooled client. A plan cannot await anything else, which is the rule a
// transaction body must keep anyway: no network or file I/O while the write lock is held.
//
//   function* create(input): Plan<CorrelationView> {
//     const existing = yield* get(Q.byRecord, input.remoteSystem, input.table, input.sysId);
//     ...
//   }
//   await storage.write(() => create(input));      // both dialects
//   storage.runSync(create(input));                // SQLite only, inside a synchronous transaction

export type Dialect = "sqlite" | "postgres";

/**
 * One SQL statement. Written with `?` placeholders (the PostgreSQL driver numbers them as $1…);
 * where the dialects differ, give both texts. The object is the statement's identity: SQLite
 * prepares it once per connection, PostgreSQL translates it once.
 */
export interface Query<R = unknown> {
  readonly sqlite: string;
  readonly postgres: string;
  /** Phantom: the row type, for get/all. */
  readonly row?: R;
}

/** A statement whose text is the same on both dialects (the common case). */
export function sql<R = unknown>(text: string): Query<R>;
/** A statement whose text differs per dialect (INSERT OR IGNORE / ON CONFLICT DO NOTHING, json_each / jsonb_array_elements…). */
export function sql<R = unknown>(texts: { sqlite: string; postgres: string }): Query<R>;
export function sql<R = unknown>(text: string | { sqlite: string; postgres: string }): Query<R> {
  return Object.freeze(typeof text === "string" ? { sqlite: text, postgres: text } : { ...text });
}

export interface RunResult {
  changes: number;
  /**
   * SQLite only: the rowid of the last row inserted on the connection. On the hot insert paths it
   * is cheaper than `INSERT … RETURNING` (measured: ~25% of an outbound enqueue); PostgreSQL
   * texts use RETURNING with get() instead.
   */
  lastInsertRowid?: number;
}

export type Step =
  | {
      readonly op: "get" | "all" | "run";
      readonly query: Query<unknown>;
      readonly params: readonly unknown[];
    }
  | { readonly op: "dialect" }
  | { readonly op: "afterCommit"; readonly fn: () => void }
  | { readonly op: "savepoint"; readonly action: "begin" | "release" | "rollback" };

export type Plan<T> = Generator<Step, T, unknown>;

/** The first row, or undefined. */
export function* get<R>(query: Query<R>, ...params: unknown[]): Plan<R | undefined> {
  return (yield { op: "get", query, params }) as R | undefined;
}

/** All rows. */
export function* all<R>(query: Query<R>, ...params: unknown[]): Plan<R[]> {
  return (yield { op: "all", query, params }) as R[];
}

/** A statement without rows; how many rows it changed. */
export function* run(query: Query<unknown>, ...params: unknown[]): Plan<RunResult> {
  return (yield { op: "run", query, params }) as RunResult;
}

/** The dialect the plan runs on, for the rare plan that must branch (prefer two-text queries). */
export function* dialect(): Plan<Dialect> {
  return (yield { op: "dialect" }) as Dialect;
}

/**
 * Runs `plan` in a savepoint: if it throws, its statements are undone and the error reaches the
 * caller, which may go on. Needed to survive a failed statement inside a transaction: PostgreSQL
 * aborts the whole transaction at the first error (a COMMIT after a caught error is refused by
 * PgStorage), SQLite would keep the statements before it.
 */
export function* attempt<T>(plan: Plan<T>): Plan<T> {
  yield { op: "savepoint", action: "begin" };
  let value: T;
  try {
    value = yield* plan;
  } catch (error) {
    yield { op: "savepoint", action: "rollback" };
    throw error;
  }
  yield { op: "savepoint", action: "release" };
  return value;
}

/**
 * Runs `fn` once the transaction the plan runs in has committed (cache invalidation, wake-ups,
 * signals to the other processes): never before, so whoever reacts reads the committed data.
 * On SQLite a synchronous transaction has committed before any microtask runs, so it is queued
 * as one; on PostgreSQL it runs after COMMIT, and not at all when the transaction rolls back.
 */
export function* afterCommit(fn: () => void): Plan<void> {
  yield { op: "afterCommit", fn };
}

const exclusiveLock = Object.freeze({
  sqlite: "SELECT ? AS key", // one writer at a time already
  postgres: "SELECT pg_advisory_xact_lock(hashtext(?))",
});

/**
 * Holds `key` until the transaction ends, so two processes checking then writing the same thing
 * (a unique value, a seed) take turns; on SQLite, one connection, the writer is alone anyway.
 */
export function* exclusive(key: string): Plan<void> {
  yield { op: "get", query: exclusiveLock, params: [key] };
}

/** One plan per item, run one after another; their results in the items' order. */
export function* each<T, R>(items: readonly T[], plan: (item: T) => Plan<R>): Plan<R[]> {
  const results: R[] = [];
  for (const item of items) results.push(yield* plan(item));
  return results;
}

/** A plan that needs no statement (a store method whose answer is known up front). */
// biome-ignore lint/correctness/useYield: a plan without statements is still a plan
export function* done<T>(value: T): Plan<T> {
  return value;
}

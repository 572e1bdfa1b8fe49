import pg from "pg";
import type { Plan, Query, Step } from "./plan";
import { PgSignals } from "./signals";
import type { Storage } from "./storage";

/** int8 (bigint) as a JavaScript number, as SQLite gives it: epoch milliseconds and counters fit. */
const types = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === pg.types.builtins.INT8) return (value: string) => Number(value);
    return format ? pg.types.getTypeParser(oid, format) : pg.types.getTypeParser(oid);
  },
} as pg.CustomTypesConfig;

/** `?` → `$1, $2…`, outside quoted strings and identifiers. */
export function numberPlaceholders(text: string): string {
  let n = 0;
  let out = "";
  let quote: string | null = null;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
    } else if (ch === "?") {
      n += 1;
      out += `$${n}`;
      continue;
    }
    out += ch;
  }
  return out;
}

// Statements each connection keeps prepared; beyond them (an unusual variety of generated list
// queries) statements are parsed each time rather than kept forever.
const NAMED = 2000;

// serialization_failure, deadlock_detected: the transaction is retried from a fresh plan
const RETRY = new Set(["40001", "40P01"]);
const ATTEMPTS = 5;

interface Queryable {
  query(config: pg.QueryConfig): Promise<pg.QueryResult>;
}

/**
 * Storage on PostgreSQL (node-postgres pool): a plan's statements are awaited one by one; a
 * transaction holds one pooled client from BEGIN to COMMIT.
 */
export class PgStorage implements Storage {
  readonly dialect = "postgres" as const;
  /**
   * Each query's PostgreSQL text and statement name: named statements are parsed and planned
   * once per connection and then only bound and executed (an unnamed one is parsed every time).
   */
  private readonly texts = new WeakMap<Query<unknown>, { text: string; name: string | undefined }>();
  /** Names by text (generated queries repeat as new Query objects), at most NAMED of them. */
  private readonly names = new Map<string, string>();

  readonly signals: PgSignals;

  constructor(
    readonly pool: pg.Pool,
    onSignalError?: (error: Error) => void,
  ) {
    this.signals = new PgSignals(pool, onSignalError);
  }

  async read<T>(plan: Plan<T>): Promise<T> {
    const after: Array<() => void> = [];
    const value = await this.drive(this.pool, plan, false, after);
    for (const fn of after) fn(); // each statement committed on its own
    return value;
  }

  async transaction<T>(make: () => Plan<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      let broken: Error | undefined;
      try {
        await client.query("BEGIN");
        try {
          const after: Array<() => void> = [];
          const value = await this.drive(client, make(), true, after);
          const commit = await client.query("COMMIT");
          // a plan that caught a failed statement without attempt(): PostgreSQL rolled it all back
          if (commit.command === "ROLLBACK")
            throw new Error(
              "The transaction was rolled back: a statement in it failed and the plan went on (wrap such a statement in attempt())",
            );
          for (const fn of after) fn();
          return value;
        } catch (error) {
          await client.query("ROLLBACK").catch((e: Error) => {
            broken = e;
          });
          const code = (error as { code?: string }).code;
          if (!(code && RETRY.has(code) && attempt < ATTEMPTS)) throw error;
        }
      } finally {
        client.release(broken);
      }
    }
  }

  write<T>(make: () => Plan<T>): Promise<T> {
    return this.transaction(make);
  }

  async rehearse<T>(make: () => Plan<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query("BEGIN");
      try {
        return await this.drive(client, make(), true, []); // rolled back: nothing to run after
      } finally {
        await client.query("ROLLBACK").catch((e: Error) => {
          broken = e;
        });
      }
    } finally {
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.signals.close();
    await this.pool.end();
  }

  private async drive<T>(
    on: Queryable,
    plan: Plan<T>,
    inTransaction: boolean,
    after: Array<() => void>,
  ): Promise<T> {
    let depth = 0;
    let input: unknown;
    let failed = false;
    let error: unknown;
    for (;;) {
      const next = failed ? plan.throw(error) : plan.next(input);
      if (next.done) return next.value;
      failed = false;
      try {
        const step = next.value;
        if (step.op === "savepoint") {
          if (!inTransaction)
            throw new Error("attempt() needs a transaction (storage.transaction or storage.write)");
          if (step.action === "begin") depth += 1;
          const name = `plan_${depth}`;
          if (step.action === "begin") await on.query({ text: `SAVEPOINT ${name}` });
          else if (step.action === "release") await on.query({ text: `RELEASE SAVEPOINT ${name}` });
          else await on.query({ text: `ROLLBACK TO SAVEPOINT ${name}` });
          if (step.action !== "begin") depth -= 1;
          input = undefined;
        } else if (step.op === "afterCommit") {
          after.push(step.fn);
          input = undefined;
        } else input = await this.step(on, step);
      } catch (e) {
        failed = true;
        error = e;
      }
    }
  }

  private async step(
    on: Queryable,
    step: Exclude<Step, { op: "savepoint" | "afterCommit" }>,
  ): Promise<unknown> {
    if (step.op === "dialect") return "postgres";
    let prepared = this.texts.get(step.query);
    if (prepared === undefined) {
      const text = numberPlaceholders(step.query.postgres);
      let name = this.names.get(text);
      if (name === undefined && this.names.size < NAMED) {
        name = `tandem_${this.names.size + 1}`;
        this.names.set(text, name);
      }
      prepared = { text, name };
      this.texts.set(step.query, prepared);
    }
    const { text, name } = prepared;
    const result = await on.query({ name, text, values: step.params as unknown[], types });
    if (step.op === "get") return result.rows[0];
    if (step.op === "all") return result.rows;
    return { changes: result.rowCount ?? 0 };
  }
}

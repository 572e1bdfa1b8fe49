import type Database from "better-sqlite3";
import type { GroupCommit } from "../db/group-commit";
import type { Plan, Query, Step } from "./plan";
import { LocalSignals } from "./signals";
import type { SyncStorage } from "./storage";

const ROLLBACK = Symbol("rehearsal rollback");

/**
 * Storage on SQLite (better-sqlite3, one connection): a plan runs synchronously, each statement
 * prepared once per query and kept. A transaction's body therefore runs between BEGIN and COMMIT
 * with no other code in between, as before the seam; the promise is only the answer's envelope.
 */
export class SqliteStorage implements SyncStorage {
  readonly dialect = "sqlite" as const;
  /** An instance on SQLite is one process: its signals stay in it. */
  readonly signals = new LocalSignals();
  private readonly statements = new WeakMap<Query<unknown>, Database.Statement>();

  constructor(
    readonly sqlite: Database.Database,
    private readonly options: { group?: GroupCommit } = {},
  ) {}

  runSync<T>(plan: Plan<T>): T {
    let depth = 0; // open savepoints of attempt()
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
          // Outside a transaction a SAVEPOINT would open one that a failed RELEASE (disk full)
          // leaves open for every later write; PostgreSQL refuses it too.
          if (step.action === "begin" && depth === 0 && !this.sqlite.inTransaction)
            throw new Error("attempt() needs a transaction (storage.transaction or storage.write)");
          if (step.action === "begin") depth += 1;
          const name = `plan_${depth}`;
          if (step.action === "begin") this.sqlite.exec(`SAVEPOINT ${name}`);
          else if (step.action === "release") this.sqlite.exec(`RELEASE ${name}`);
          else this.sqlite.exec(`ROLLBACK TO ${name}; RELEASE ${name}`);
          if (step.action !== "begin") depth -= 1;
          input = undefined;
        } else input = this.step(step);
      } catch (e) {
        failed = true;
        error = e;
      }
    }
  }

  read<T>(plan: Plan<T>): Promise<T> {
    try {
      return Promise.resolve(this.runSync(plan));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  transaction<T>(make: () => Plan<T>): Promise<T> {
    try {
      // nested in a running transaction (a group's), better-sqlite3 makes it a savepoint
      return Promise.resolve(this.sqlite.transaction(() => this.runSync(make()))());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  write<T>(make: () => Plan<T>): Promise<T> {
    const group = this.options.group;
    return group ? group.write(() => this.runSync(make())) : this.transaction(make);
  }

  rehearse<T>(make: () => Plan<T>): Promise<T> {
    let out: { value: T } | undefined;
    try {
      this.sqlite.transaction(() => {
        out = { value: this.runSync(make()) };
        throw ROLLBACK;
      })();
    } catch (error) {
      if (error !== ROLLBACK) return Promise.reject(error);
    }
    return out ? Promise.resolve(out.value) : Promise.reject(new Error("rehearsal produced nothing"));
  }

  async close(): Promise<void> {
    await this.signals.close();
    this.sqlite.close();
  }

  private step(step: Exclude<Step, { op: "savepoint" }>): unknown {
    if (step.op === "dialect") return "sqlite";
    if (step.op === "afterCommit") {
      // better-sqlite3 commits synchronously: the microtask runs after the transaction ended
      queueMicrotask(step.fn);
      return undefined;
    }
    let statement = this.statements.get(step.query);
    if (!statement) {
      statement = this.sqlite.prepare(step.query.sqlite);
      this.statements.set(step.query, statement);
    }
    if (step.op === "get") return statement.get(...step.params);
    if (step.op === "all") return statement.all(...step.params);
    const result = statement.run(...step.params);
    return { changes: result.changes, lastInsertRowid: Number(result.lastInsertRowid) };
  }
}

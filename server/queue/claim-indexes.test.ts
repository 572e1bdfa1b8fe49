import type Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { alertPlans } from "../alerts/alert-evaluator";
import { openDatabase } from "../db/client";
import { progressPlan } from "../initial-sync/receiver";
import type { Plan } from "../storage";
import { inboundPlans } from "./inbound/store";
import { outboundPlans } from "./outbound/store";
import { queueGaugePlans } from "./queue-gauges";

// The claim-path indexes are partial (only rows not processed: server/db/schema/queues.ts), and
// SQLite uses a partial index only when the query says the index's term word for word. Each plan
// that walks them is run here on a migrated database and every statement's query plan read: none
// may scan a queue table, or the claims and gauges would read the whole processed history.

const open: Database.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function migrated(): Database.Database {
  const db = openDatabase({ file: ":memory:" }).$client;
  open.push(db);
  return db;
}

/** Runs a plan on SQLite and gives back the query plan lines of each statement it ran. */
function explain(db: Database.Database, plan: Plan<unknown>): Array<{ sql: string; detail: string }> {
  const lines: Array<{ sql: string; detail: string }> = [];
  let step = plan.next();
  while (!step.done) {
    const s = step.value;
    let value: unknown;
    if (s.op === "dialect") value = "sqlite";
    else if (s.op === "get" || s.op === "all" || s.op === "run") {
      const text = s.query.sqlite;
      for (const row of db.prepare(`EXPLAIN QUERY PLAN ${text}`).all(...s.params) as Array<{
        detail: string;
      }>)
        lines.push({ sql: text.replace(/\s+/g, " "), detail: row.detail });
      const stmt = db.prepare(text);
      value =
        s.op === "run"
          ? stmt.run(...s.params)
          : s.op === "get"
            ? stmt.get(...s.params)
            : stmt.all(...s.params);
    }
    step = plan.next(value);
  }
  return lines;
}

const scans = (lines: Array<{ sql: string; detail: string }>) =>
  lines.filter((l) => /^SCAN (q|p|outbound_queue|inbound_queue)\b/.test(l.detail) && !/USING/.test(l.detail));

describe("partial claim indexes", () => {
  it("hold only the rows not processed", () => {
    const db = migrated();
    const partial = db
      .prepare(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name IN (?, ?, ?, ?) ORDER BY name",
      )
      .all("outbound_claim", "outbound_due", "inbound_claim", "inbound_status") as Array<{
      name: string;
      sql: string;
    }>;
    expect(partial.map((p) => p.name)).toEqual([
      "inbound_claim",
      "inbound_status",
      "outbound_claim",
      "outbound_due",
    ]);
    for (const p of partial) expect(p.sql).toContain("WHERE status <> 'processed'");
  });

  it("are what the claims, sweeps, due times, gauges and alerts walk (no queue table is scanned)", () => {
    const db = migrated();
    const plans: Array<[string, Plan<unknown>]> = [
      ["outbound claim", outboundPlans.claim("r", 1, 10, "p", 2)],
      ["outbound recover", outboundPlans.recover()],
      ["outbound sweep", outboundPlans.sweep(1, ["r"])],
      ["outbound renew", outboundPlans.renew("p", 2, ["r"])],
      ["outbound nextDue", outboundPlans.nextDue("r")],
      ["outbound requeue", outboundPlans.requeueConnectionErrors("r", 1)],
      ["inbound claim", inboundPlans.claim("r", 1, 10, "p", 2)],
      ["inbound recover", inboundPlans.recover()],
      ["inbound sweep", inboundPlans.sweep(1)],
      ["inbound renew", inboundPlans.renew("p", 2)],
      ["inbound nextDue", inboundPlans.nextDue("r")],
      ["inbound backlog", inboundPlans.backlog()],
      ["gauge depth", queueGaugePlans.depth("r")],
      ["gauge oldest", queueGaugePlans.oldestReady("r")],
      ["alert queue age", alertPlans.observe("r", "queue_age", 1, 1)],
      // The sender of an initial sync asks for this every few hundred ms while its job runs.
      ["initial sync progress", progressPlan("r", "job")],
    ];
    for (const [name, plan] of plans) {
      const lines = explain(db, plan);
      expect(lines.length, name).toBeGreaterThan(0);
      expect(scans(lines), name).toEqual([]);
    }
  });
});

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../db/client";

// Migration 0016 (issue 14): lane_key is computed from the remote and the record (outbound) or
// the remote correlation id (inbound) instead of stored; the rows of a database from before keep
// every column and the same lane keys, and the lane indexes still answer.
describe("migration 0016: computed lane keys", () => {
  it("carries the queue rows over with the same lane keys", () => {
    const root = process.env.TANDEM_TEST_DATA_ROOT ?? os.tmpdir();
    const dir = fs.mkdtempSync(path.join(root, "tandem-lanes-"));
    const folder = fs.mkdtempSync(path.join(root, "tandem-migrations-"));
    try {
      const file = path.join(dir, "tandem.db");
      fs.cpSync(path.resolve("drizzle"), folder, { recursive: true });
      const journalFile = path.join(folder, "meta", "_journal.json");
      const journal = JSON.parse(fs.readFileSync(journalFile, "utf8")) as { entries: Array<{ tag: string }> };
      journal.entries = journal.entries.filter((e) => e.tag < "0016");
      fs.writeFileSync(journalFile, JSON.stringify(journal));
      const old = openDatabase({ file, migrationsFolder: folder });
      const out = old.$client.prepare(
        `INSERT INTO outbound_queue (message_id, status, process_event, remote_system_id, flow_binding_id, operation,
           table_name, record_sys_id, lane_key, lane_seq, payload, next_attempt_at, retry_history, created_at)
         VALUES (?, ?, 'e', 'rs', 'b', 'update', 'incident', ?, ?, ?, '{"p":1}', 5, '[]', 9)`,
      );
      out.run("m1", "processed", "rec1", "rs:rec1", 1);
      out.run("m2", "ready", "rec1", "rs:rec1", 2);
      out.run("m3", "error", "rec2", "rs:rec2", 1);
      old.$client
        .prepare(
          `INSERT INTO inbound_queue (message_id, remote_system_id, process_event, operation, local_correlation_id,
             remote_correlation_id, lane_key, lane_seq, payload, status, received_at)
           VALUES ('i1', 'rs', 'e', 'create', 'loc', 'c1', 'rs:c1', 1, '{}', 'ready', 3)`,
        )
        .run();
      const before = {
        out: old.$client.prepare("SELECT * FROM outbound_queue ORDER BY id").all(),
        in: old.$client.prepare("SELECT * FROM inbound_queue ORDER BY sequence").all(),
      };
      old.$client.close();

      const db = openDatabase({ file }).$client;
      try {
        const sorted = (rows: unknown[]) =>
          rows.map((r) =>
            Object.fromEntries(Object.entries(r as object).sort(([a], [b]) => a.localeCompare(b))),
          );
        // Columns later migrations add (null on rows from before) are left out of the comparison.
        const added = (rows: unknown[], was: unknown[]) => {
          const known = new Set(Object.keys((was[0] ?? {}) as object));
          for (const r of rows)
            for (const [k, v] of Object.entries(r as object))
              if (!known.has(k)) expect([k, v]).toEqual([k, null]);
          return rows.map((r) =>
            Object.fromEntries(Object.entries(r as object).filter(([k]) => known.has(k))),
          );
        };
        expect(
          sorted(added(db.prepare("SELECT * FROM outbound_queue ORDER BY id").all(), before.out)),
        ).toEqual(sorted(before.out));
        expect(
          sorted(added(db.prepare("SELECT * FROM inbound_queue ORDER BY sequence").all(), before.in)),
        ).toEqual(sorted(before.in));
        const plan = (q: string) =>
          (db.prepare(`EXPLAIN QUERY PLAN ${q}`).all() as Array<{ detail: string }>)
            .map((r) => r.detail)
            .join("\n");
        expect(plan("SELECT max(lane_seq) FROM outbound_queue WHERE lane_key = 'rs:rec1'")).toContain(
          "outbound_lane",
        );
        expect(plan("SELECT sequence FROM inbound_queue WHERE lane_key = 'rs:c1'")).toContain("inbound_lane");
        // a new row's lane key is computed; the unique lane index still refuses a second seq 1
        db.prepare(
          `INSERT INTO outbound_queue (message_id, status, process_event, remote_system_id, flow_binding_id, operation,
             table_name, record_sys_id, lane_seq, payload, next_attempt_at, retry_history, created_at)
           VALUES ('m4', 'ready', 'e', 'rs', 'b', 'update', 'incident', 'rec2', 2, '{}', 0, '[]', 0)`,
        ).run();
        expect(db.prepare("SELECT lane_key FROM outbound_queue WHERE message_id = 'm4'").get()).toEqual({
          lane_key: "rs:rec2",
        });
        expect(() =>
          db
            .prepare(
              `INSERT INTO outbound_queue (message_id, status, process_event, remote_system_id, flow_binding_id, operation,
                 table_name, record_sys_id, lane_seq, payload, next_attempt_at, retry_history, created_at)
               VALUES ('m5', 'ready', 'e', 'rs', 'b', 'update', 'incident', 'rec2', 2, '{}', 0, '[]', 0)`,
            )
            .run(),
        ).toThrow(/UNIQUE/);
      } finally {
        db.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});

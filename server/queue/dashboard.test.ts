import { describe, expect, it } from "vitest";
import { SyncConfig } from "../sync/config-store";
import { SecretBox } from "../sync/secrets";
import { memoryInstance } from "../testing/memory-instance";
import { dashboard } from "./dashboard";

describe("dashboard", () => {
  it("counts every row of an hour in the chart, processed and failed alike", () => {
    const { db } = memoryInstance();
    const now = Date.UTC(2026, 10, 29, 16, 30);
    const insert = db.$client.prepare(
      `INSERT INTO outbound_queue (message_id, status, process_event, remote_system_id, flow_binding_id, operation, table_name,
         record_sys_id, lane_key, lane_seq, payload, next_attempt_at, retry_history, created_at, finished_at)
       VALUES (?, ?, 'e', 'r', 'b', 'create', 'incident', ?, ?, 1, '{}', 0, '[]', ?, ?)`,
    );
    insert.run("m1", "processed", "r1", "l1", now - 600_000, now - 500_000);
    insert.run("m2", "processed", "r2", "l2", now - 400_000, now - 300_000);
    insert.run("m3", "error", "r3", "l3", now - 200_000, now - 100_000);
    const view = dashboard(db, new SyncConfig(db, SecretBox.forTests()), now);
    const last = view.outbound.hours.at(-1);
    expect(last).toMatchObject({ processed: 2, errors: 1 });
    expect(view.outbound.hours.reduce((n, h) => n + h.processed + h.errors, 0)).toBe(3);
    expect(view.outbound).toMatchObject({ errors: 1, processed: { hour: 2, day: 2 } });
  });
});

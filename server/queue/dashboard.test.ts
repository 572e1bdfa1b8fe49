import { describe, expect, it } from "vitest";
import { SyncConfig } from "../sync/config-store";
import { SecretBox } from "../sync/secrets";
import { memoryInstance } from "../testing/memory-instance";
import { dashboard } from "./dashboard";

describe("dashboard", () => {
  it("counts every row of an hour in the chart, processed and failed alike", async () => {
    const { db, storage } = memoryInstance();
    const now = Date.UTC(2026, 10, 29, 16, 30);
    const insert = db.$client.prepare(
      `INSERT INTO outbound_queue (message_id, status, process_event, remote_system_id, flow_binding_id, operation, table_name,
         record_sys_id, lane_seq, payload, next_attempt_at, retry_history, created_at, finished_at)
       VALUES (?, ?, 'e', 'r', 'b', 'create', 'incident', ?, 1, '{}', 0, '[]', ?, ?)`,
    );
    insert.run("m1", "processed", "r1", now - 600_000, now - 500_000);
    insert.run("m2", "processed", "r2", now - 400_000, now - 300_000);
    insert.run("m3", "error", "r3", now - 200_000, now - 100_000);
    const view = await dashboard(storage, new SyncConfig(storage, SecretBox.forTests()), now);
    const last = view.outbound.hours.at(-1);
    expect(last).toMatchObject({ processed: 2, errors: 1 });
    expect(view.outbound.hours.reduce((n, h) => n + h.processed + h.errors, 0)).toBe(3);
    expect(view.outbound).toMatchObject({ errors: 1, processed: { hour: 2, day: 2 } });
  });

  it("buckets the chosen window: a row 3 days old shows in 7 d, not in 24 h or 1 h", async () => {
    const { db, storage } = memoryInstance();
    const now = Date.UTC(2026, 10, 29, 16, 30);
    const insert = db.$client.prepare(
      `INSERT INTO outbound_queue (message_id, status, process_event, remote_system_id, flow_binding_id, operation, table_name,
         record_sys_id, lane_seq, payload, next_attempt_at, retry_history, created_at, finished_at)
       VALUES (?, ?, 'e', 'r', 'b', 'create', 'incident', ?, 1, '{}', 0, '[]', ?, ?)`,
    );
    insert.run("old", "processed", "r1", now - 3 * 86_400_000, now - 3 * 86_400_000);
    insert.run("new", "error", "r2", now - 90_000, now - 90_000);
    const config = new SyncConfig(storage, SecretBox.forTests());
    const sum = async (w: "1h" | "24h" | "7d") =>
      (await dashboard(storage, config, now, w)).outbound.series.buckets.reduce(
        (acc, b) => ({ processed: acc.processed + b.processed, errors: acc.errors + b.errors }),
        { processed: 0, errors: 0 },
      );
    expect((await dashboard(storage, config, now, "1h")).outbound.series).toMatchObject({
      window: "1h",
      bucketMs: 60_000,
    });
    expect((await dashboard(storage, config, now, "1h")).outbound.series.buckets).toHaveLength(60);
    expect((await dashboard(storage, config, now, "7d")).outbound.series.buckets).toHaveLength(42);
    expect(await sum("1h")).toEqual({ processed: 0, errors: 1 });
    expect(await sum("24h")).toEqual({ processed: 0, errors: 1 });
    expect(await sum("7d")).toEqual({ processed: 1, errors: 1 });
    // The last bucket is the minute now is in (16:30); the failed row finished at 16:28:30.
    expect((await dashboard(storage, config, now, "1h")).outbound.series.buckets.at(-3)).toMatchObject({
      errors: 1,
    });
  });
});

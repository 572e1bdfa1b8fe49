import { expect, it } from "vitest";
import { all, run, type Storage, sql } from "../storage";
import { purgeFinishedRows } from "./retention";

// Queue retention on every dialect (issue 13): SQLite in retention.test.ts, a real
// PostgreSQL in tests/integration/storage-seam.test.ts.

const day = 86_400_000;
const outboundRow = sql(
  `INSERT INTO outbound_queue (message_id, status, process_event, remote_system_id, flow_binding_id, operation, table_name,
     record_sys_id, lane_seq, payload, next_attempt_at, retry_history, created_at, finished_at)
   VALUES (?, ?, 'e', 'r', 'b', 'create', 'incident', ?, 1, '{}', 0, '[]', ?, ?)`,
);
const inboundRow = sql(
  `INSERT INTO inbound_queue (message_id, remote_system_id, process_event, operation, remote_correlation_id,
     lane_seq, payload, status, received_at, finished_at)
   VALUES (?, 'r', 'e', 'create', ?, 1, '{}', ?, ?, ?)`,
);
const keyRow = sql("INSERT INTO idempotency_key (key, result, created_at) VALUES (?, '{}', ?)");
const execution = sql(
  `INSERT INTO flow_execution (id, flow_id, version, status, queue, queue_row_id, run_key, started_at, detail)
   VALUES (?, 'f', 1, 'completed', ?, ?, ?, ?, 'full')`,
);
const outboundStatuses = sql<{ status: string }>("SELECT status FROM outbound_queue ORDER BY id");
const keys = sql<{ key: string }>("SELECT key FROM idempotency_key ORDER BY key");
const executions = sql<{ id: string }>("SELECT id FROM flow_execution ORDER BY id");

export function retentionContract(fresh: () => Promise<Storage>): void {
  it("purges processed and skipped rows past the retention with their executions, never ready or error ones", async () => {
    const storage = await fresh();
    const old = Date.now() - 10 * day;
    await storage.transaction(function* () {
      for (const [i, status] of ["processed", "skipped", "ready", "error"].entries())
        yield* run(outboundRow, `m${i}`, status, `r${i}`, old, old);
      yield* run(outboundRow, "fresh", "processed", "r9", Date.now(), Date.now());
      // rows 1 (processed) and 3 (ready) ran: the first's execution goes with it
      yield* run(execution, "x-processed", "outbound", 1, "k1", old);
      yield* run(execution, "x-ready", "outbound", 3, "k3", old);
    });
    expect(await purgeFinishedRows(storage, 7 * day)).toEqual({ outbound: 2, inbound: 0, keys: 0 });
    expect(await storage.read(all(outboundStatuses))).toEqual([
      { status: "ready" },
      { status: "error" },
      { status: "processed" },
    ]);
    expect(await storage.read(all(executions))).toEqual([{ id: "x-ready" }]);
  });

  it("purges the idempotency keys of purged rows, never those a queued row could still need", async () => {
    const storage = await fresh();
    const now = Date.now();
    await storage.transaction(function* () {
      // Ten days ago: a row that was processed (purged now) and its key.
      yield* run(inboundRow, "m-old", "c-old", "processed", now - 10 * day, now - 10 * day);
      yield* run(keyRow, "in:r:m-old:create", now - 10 * day);
      // Nine days ago: a row still in error, which a person may reprocess, and its key.
      yield* run(inboundRow, "m-error", "c-error", "error", now - 9 * day, null);
      yield* run(keyRow, "in:r:m-error:create", now - 9 * day + 1000);
      // Yesterday: a processed row inside the retention and its key.
      yield* run(inboundRow, "m-new", "c-new", "processed", now - day, now - day);
      yield* run(keyRow, "in:r:m-new:create", now - day);
    });
    expect(await purgeFinishedRows(storage, 7 * day, now)).toEqual({ outbound: 0, inbound: 1, keys: 1 });
    expect(await storage.read(all(keys))).toEqual([
      { key: "in:r:m-error:create" },
      { key: "in:r:m-new:create" },
    ]);
    // Once the error row is skipped and ages out too, its key goes with it.
    await storage.write(function* () {
      yield* run(
        sql("UPDATE inbound_queue SET status = 'skipped', finished_at = ? WHERE message_id = 'm-error'"),
        now - 8 * day,
      );
    });
    expect(await purgeFinishedRows(storage, 7 * day, now)).toEqual({ outbound: 0, inbound: 1, keys: 1 });
    expect(await storage.read(all(keys))).toEqual([{ key: "in:r:m-new:create" }]);
  });

  it("with empty queues, every key past the retention goes", async () => {
    const storage = await fresh();
    const now = Date.now();
    await storage.transaction(function* () {
      yield* run(keyRow, "old", now - 8 * day);
      yield* run(keyRow, "new", now - day);
    });
    expect(await purgeFinishedRows(storage, 7 * day, now)).toEqual({ outbound: 0, inbound: 0, keys: 1 });
  });
}

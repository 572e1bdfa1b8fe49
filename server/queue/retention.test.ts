import { describe, expect, it } from "vitest";
import { memoryInstance } from "../testing/memory-instance";
import { purgeFinishedRows } from "./retention";

describe("purgeFinishedRows", () => {
  it("purges processed and skipped rows past the retention, never ready or error ones", () => {
    const { db } = memoryInstance();
    const insert = db.$client.prepare(
      `INSERT INTO outbound_queue (message_id, status, process_event, remote_system_id, flow_binding_id, operation, table_name,
         record_sys_id, lane_key, lane_seq, payload, next_attempt_at, retry_history, created_at, finished_at)
       VALUES (?, ?, 'e', 'r', 'b', 'create', 'incident', ?, ?, 1, '{}', 0, '[]', ?, ?)`,
    );
    const old = Date.now() - 10 * 86_400_000;
    for (const [i, status] of ["processed", "skipped", "ready", "error"].entries())
      insert.run(`m${i}`, status, `r${i}`, `l${i}`, old, old);
    insert.run("fresh", "processed", "r9", "l9", Date.now(), Date.now());
    expect(purgeFinishedRows(db, 7 * 86_400_000)).toEqual({ outbound: 2, inbound: 0, keys: 0 });
    const left = db.$client.prepare("SELECT status FROM outbound_queue ORDER BY id").all();
    expect(left).toEqual([{ status: "ready" }, { status: "error" }, { status: "processed" }]);
  });

  it("purges the idempotency keys of purged rows, never those a queued row could still need", () => {
    const { db } = memoryInstance();
    const day = 86_400_000;
    const now = Date.now();
    const key = db.$client.prepare(
      "INSERT INTO idempotency_key (key, result, created_at) VALUES (?, '{}', ?)",
    );
    const row = db.$client.prepare(
      `INSERT INTO inbound_queue (message_id, remote_system_id, process_event, operation, remote_correlation_id,
         lane_key, lane_seq, payload, status, received_at, finished_at)
       VALUES (?, 'r', 'e', 'create', ?, ?, 1, '{}', ?, ?, ?)`,
    );
    // Ten days ago: a row that was processed (purged now) and its key.
    row.run("m-old", "c-old", "l-old", "processed", now - 10 * day, now - 10 * day);
    key.run("in:r:m-old:create", now - 10 * day);
    // Nine days ago: a row still in error, which a person may reprocess, and its key.
    row.run("m-error", "c-error", "l-error", "error", now - 9 * day, null);
    key.run("in:r:m-error:create", now - 9 * day + 1000);
    // Yesterday: a processed row inside the retention and its key.
    row.run("m-new", "c-new", "l-new", "processed", now - day, now - day);
    key.run("in:r:m-new:create", now - day);
    expect(purgeFinishedRows(db, 7 * day, now)).toEqual({ outbound: 0, inbound: 1, keys: 1 });
    const left = db.$client.prepare("SELECT key FROM idempotency_key ORDER BY key").all();
    expect(left).toEqual([{ key: "in:r:m-error:create" }, { key: "in:r:m-new:create" }]);
    // Once the error row is skipped and ages out too, its key goes with it.
    db.$client
      .prepare("UPDATE inbound_queue SET status = 'skipped', finished_at = ? WHERE message_id = 'm-error'")
      .run(now - 8 * day);
    expect(purgeFinishedRows(db, 7 * day, now)).toEqual({ outbound: 0, inbound: 1, keys: 1 });
    expect(db.$client.prepare("SELECT key FROM idempotency_key").all()).toEqual([
      { key: "in:r:m-new:create" },
    ]);
  });
});

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
    expect(purgeFinishedRows(db, 7 * 86_400_000)).toEqual({ outbound: 2, inbound: 0 });
    const left = db.$client.prepare("SELECT status FROM outbound_queue ORDER BY id").all();
    expect(left).toEqual([{ status: "ready" }, { status: "error" }, { status: "processed" }]);
  });
});

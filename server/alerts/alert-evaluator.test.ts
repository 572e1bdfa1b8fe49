import { describe, expect, it } from "vitest";
import { createLogger } from "../log/logger";
import { SyncConfig } from "../sync/config-store";
import { SecretBox } from "../sync/secrets";
import { memoryInstance } from "../testing/memory-instance";
import { AlertEvaluator } from "./alert-evaluator";

// The evaluator's state machine on a fake clock: a ready row older than the threshold fires ONE
// email, further passes (and a fresh evaluator over the same database, as after a restart) send
// none, the row leaving the queue clears it with one "cleared" email.
describe("AlertEvaluator", () => {
  const setup = () => {
    const { db } = memoryInstance();
    const config = new SyncConfig(db, SecretBox.forTests());
    const remote = config.createRemote({
      name: "beta",
      baseUrl: "http://localhost:3001",
      alertQueueAgeMs: 5_000,
      alertErrorRatePct: 50,
    });
    let now = 1_000_000;
    const sent: string[] = [];
    const evaluator = () =>
      new AlertEvaluator({
        db,
        config,
        logger: createLogger("test", "silent"),
        instance: "alpha",
        // Every call counts: the evaluator's own state must keep it to one (the sender's key dedup is a second guard).
        sendEmail: async (m, key) => {
          sent.push(`${m.subject} ${key}`);
        },
        recipients: () => ["admin@alpha.localhost"],
        now: () => now,
      });
    const insertRow = (status: string, createdAt: number, finishedAt: number | null = null) =>
      db.$client
        .prepare(
          `INSERT INTO outbound_queue (message_id, status, process_event, remote_system_id, flow_binding_id, operation,
             table_name, record_sys_id, lane_key, lane_seq, payload, next_attempt_at, retry_history, created_at, finished_at)
           VALUES (?, ?, 'e', ?, 'b', 'create', 'incident', 'r', ?, 1, '{}', 0, '[]', ?, ?)`,
        )
        .run(`m${Math.random()}`, status, remote.id, `lane${Math.random()}`, createdAt, finishedAt);
    return { db, sent, evaluator, insertRow, tick: (ms: number) => (now += ms), at: () => now };
  };

  it("fires once on queue age, survives a restart without resending, and clears once", async () => {
    const { db, sent, evaluator, insertRow, tick, at } = setup();
    const first = evaluator();
    insertRow("ready", at());
    await first.evaluate();
    expect(sent).toHaveLength(0); // 0 s old

    tick(6_000);
    await first.evaluate();
    await first.evaluate();
    expect(sent.filter((s) => s.includes("Alert: beta queue age"))).toHaveLength(1);
    expect(first.list()[0]).toMatchObject({ kind: "queue_age", state: "firing", remoteName: "beta" });

    const restarted = evaluator();
    tick(6_000);
    await restarted.evaluate();
    expect(sent).toHaveLength(1);

    db.$client.prepare("UPDATE outbound_queue SET status = 'processed', finished_at = ?").run(at());
    await restarted.evaluate();
    await restarted.evaluate();
    expect(sent.map((s) => s.split(" alert:")[0])).toEqual([
      "[Tandem alpha] Alert: beta queue age",
      "[Tandem alpha] Cleared: beta queue age",
    ]);
    expect(restarted.list()[0]?.state).toBe("cleared");
  });

  it("judges the error rate only over enough rows", async () => {
    const { sent, evaluator, insertRow, at } = setup();
    const e = evaluator();
    for (let i = 0; i < 4; i++) insertRow("error", at(), at());
    await e.evaluate();
    expect(sent).toHaveLength(0); // 4 rows: too few to judge
    insertRow("processed", at(), at());
    await e.evaluate();
    expect(sent.filter((s) => s.includes("error rate"))).toHaveLength(1); // 80% > 50%
  });
});

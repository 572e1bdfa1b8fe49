import { expect, it } from "vitest";
import { createLogger } from "../log/logger";
import { all, run, type Storage, sql } from "../storage";
import type { RemoteSystemRow, SyncConfig } from "../sync/config-store";
import { AlertEvaluator, alertPlans } from "./alert-evaluator";

// The evaluator's state machine on a fake clock, on every dialect (issue 13): SQLite in
// alert-evaluator.test.ts, a real PostgreSQL in tests/integration/storage-seam.test.ts.
// A ready row older than the threshold fires ONE email, further passes (and a fresh evaluator
// over the same database, as after a restart) send none, the row leaving the queue clears it
// with one "cleared" email.

const outboundRow = sql(
  `INSERT INTO outbound_queue (message_id, status, process_event, remote_system_id, flow_binding_id, operation,
     table_name, record_sys_id, lane_seq, payload, next_attempt_at, retry_history, created_at, finished_at)
   VALUES (?, ?, 'e', ?, 'b', 'create', 'incident', ?, 1, '{}', 0, '[]', ?, ?)`,
);
const inboundRow = sql(
  `INSERT INTO inbound_queue (message_id, remote_system_id, process_event, operation, remote_correlation_id,
     lane_seq, payload, status, received_at, finished_at)
   VALUES (?, ?, 'e', 'create', ?, 1, '{}', ?, ?, ?)`,
);
const alertRows = sql<{ kind: string; state: string; value: number }>(
  "SELECT kind, state, value FROM remote_alert ORDER BY kind",
);

export function alertEvaluatorContract(fresh: () => Promise<Storage>): void {
  async function setUp(thresholds: { queueAgeMs?: number | null; errorRatePct?: number | null } = {}) {
    const storage = await fresh();
    const remote = {
      id: "r-beta",
      name: "beta",
      alertQueueAgeMs: thresholds.queueAgeMs === undefined ? 5_000 : thresholds.queueAgeMs,
      alertErrorRatePct: thresholds.errorRatePct === undefined ? 50 : thresholds.errorRatePct,
    } as RemoteSystemRow;
    const remotes = new Map([[remote.id, remote]]);
    const config = { snapshot: () => ({ remotesById: remotes }) } as unknown as SyncConfig;
    let now = 1_000_000;
    let seq = 0;
    const sent: string[] = [];
    let recipients = ["admin@alpha.localhost"];
    const evaluator = () =>
      new AlertEvaluator({
        storage,
        config,
        logger: createLogger("test", "silent"),
        instance: "alpha",
        // Every call counts: the evaluator's own state must keep it to one (the sender's key dedup is a second guard).
        sendEmail: async (m, key) => {
          sent.push(`${m.subject} ${key}`);
        },
        recipients: async () => recipients,
        now: () => now,
      });
    const insertRow = (status: string, createdAt: number, finishedAt: number | null = null) =>
      storage.write(function* () {
        seq += 1;
        yield* run(outboundRow, `m${seq}`, status, remote.id, `lane${seq}`, createdAt, finishedAt);
      });
    const insertInbound = (status: string, receivedAt: number, finishedAt: number | null = null) =>
      storage.write(function* () {
        seq += 1;
        yield* run(inboundRow, `i${seq}`, remote.id, `lane${seq}`, status, receivedAt, finishedAt);
      });
    return {
      storage,
      remotes,
      sent,
      evaluator,
      insertRow,
      insertInbound,
      setRecipients: (to: string[]) => {
        recipients = to;
      },
      tick: (ms: number) => {
        now += ms;
      },
      at: () => now,
    };
  }

  it("fires once on queue age, survives a restart without resending, and clears once", async () => {
    const { storage, sent, evaluator, insertRow, tick, at } = await setUp();
    const first = evaluator();
    await insertRow("ready", at());
    await first.evaluate();
    expect(sent).toHaveLength(0); // 0 s old

    tick(6_000);
    await first.evaluate();
    await first.evaluate();
    expect(sent.filter((s) => s.includes("Alert: beta queue age"))).toHaveLength(1);
    expect((await first.list())[0]).toMatchObject({
      kind: "queue_age",
      state: "firing",
      remoteName: "beta",
      value: 6_000,
      threshold: 5_000,
    });

    const restarted = evaluator();
    tick(6_000);
    await restarted.evaluate();
    expect(sent).toHaveLength(1);
    expect((await restarted.list())[0]?.value).toBe(12_000); // re-measured while firing

    await storage.write(function* () {
      yield* run(sql("UPDATE outbound_queue SET status = 'processed', finished_at = ?"), at());
    });
    await restarted.evaluate();
    await restarted.evaluate();
    expect(sent.map((s) => s.split(" alert:")[0])).toEqual([
      "[Tandem alpha] Alert: beta queue age",
      "[Tandem alpha] Cleared: beta queue age",
    ]);
    expect((await restarted.list())[0]?.state).toBe("cleared");

    // a new firing after the clear owes its emails again (the upsert resets the row)
    await insertRow("ready", at());
    tick(6_000);
    await restarted.evaluate();
    expect(sent.filter((s) => s.includes("Alert: beta queue age"))).toHaveLength(2);
  });

  it("judges the error rate only over enough rows, across both queues", async () => {
    const { sent, evaluator, insertRow, insertInbound, at } = await setUp({ queueAgeMs: null });
    const e = evaluator();
    for (let i = 0; i < 2; i++) await insertRow("error", at(), at());
    for (let i = 0; i < 2; i++) await insertInbound("error", at(), at());
    await e.evaluate();
    expect(sent).toHaveLength(0); // 4 rows: too few to judge
    await insertInbound("processed", at(), at());
    await e.evaluate();
    expect(sent.filter((s) => s.includes("error rate"))).toHaveLength(1); // 80% > 50%
    expect((await e.list())[0]).toMatchObject({ kind: "error_rate", state: "firing", value: 80 });
  });

  it("without recipients an alert is marked notified, so it is not retried forever", async () => {
    const { storage, sent, evaluator, insertRow, setRecipients, tick, at } = await setUp();
    setRecipients([]);
    await insertRow("ready", at());
    tick(6_000);
    const e = evaluator();
    await e.evaluate();
    expect(sent).toHaveLength(0);
    expect((await e.list())[0]?.notifiedAt).toBe(at());
    expect(await storage.read(all(alertRows))).toEqual([
      { kind: "queue_age", state: "firing", value: 6_000 },
    ]);
  });

  it("a removed remote's alert is not listed; plans read the state of one alert", async () => {
    const { storage, remotes, evaluator, insertRow, tick, at } = await setUp();
    await insertRow("ready", at());
    tick(6_000);
    const e = evaluator();
    await e.evaluate();
    expect(await storage.read(alertPlans.observe("r-beta", "queue_age", 5_000, at()))).toMatchObject({
      prior: { state: "firing", fired_at: at() },
      value: 6_000,
      judged: true,
    });
    remotes.clear();
    expect(await e.list()).toEqual([]);
  });
}

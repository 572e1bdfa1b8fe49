import { describe, expect, it } from "vitest";
import { createLogger } from "../../log/logger";
import type { WireMessage } from "../../protocol/wire-schema";
import { SyncConfig } from "../../sync/config-store";
import { SecretBox } from "../../sync/secrets";
import { memoryInstance } from "../../testing/memory-instance";
import { QueueMonitor } from "../monitor";
import { QueueOperations } from "../operations";
import { InboundAcceptor } from "./accept";
import { type InboundRow, InboundStore } from "./store";
import { type InboundOutcome, InboundWorker } from "./worker";

// The inbound queue's retry state machine, with a scripted runner instead of flows:
//   transient failure → ready again at next_attempt_at (history grows), the lane waits behind it
//   data error        → error at once
//   retries used up   → error (transient, "retries exhausted"); reprocess → ready, attempts reset
async function setup(run: (row: InboundRow) => InboundOutcome) {
  const { db, storage } = memoryInstance();
  const config = new SyncConfig(storage, SecretBox.forTests());
  const remote = await config.createRemote({ name: "alpha", baseUrl: "http://localhost:1" });
  await config.setRemoteState(remote.id, { outbound: "active", inbound: "active", message: "" });
  const store = new InboundStore(storage);
  const runs: string[] = [];
  const clock = { now: Date.now() };
  const worker = new InboundWorker({
    now: () => clock.now,
    store,
    config,
    logger: createLogger("test", "silent"),
    run: async (row) => {
      runs.push(`${row.remote_correlation_id}#${row.lane_seq}`);
      return run(row);
    },
    retryPolicy: { retryTimes: 2, retryIntervalMs: 60_000, retryBackoff: "fixed" },
    idleMs: 20,
  });
  const acceptor = new InboundAcceptor(storage);
  let n = 0;
  const receive = async (lane: string, seq: number, job?: string) => {
    const m: WireMessage = {
      id: `m${++n}`,
      process_event: "e",
      operation: "update",
      sender_correlation_id: lane,
      receiver_correlation_id: null,
      lane_sequence: seq,
      payload: job ? { initial_sync: { job, record: lane, link: null } } : {},
    };
    return (await acceptor.accept(remote.id, [m], "global"))[0]?.sequence as number;
  };
  const row = (sequence: number) =>
    db.$client
      .prepare<
        [number],
        { status: string; attempts: number; error_kind: string | null; retry_history: string }
      >("SELECT status, attempts, error_kind, retry_history FROM inbound_queue WHERE sequence = ?")
      .get(sequence);
  const monitor = new QueueMonitor(storage, config);
  const ops = new QueueOperations(storage);
  /** The retries come due only when the test moves the clock on. */
  const advance = (ms: number) => {
    clock.now += ms;
    worker.wake();
  };
  return { worker, receive, row, runs, monitor, ops, advance, clock };
}

async function until(what: string, cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const done: InboundOutcome = { kind: "processed", executionId: null };
const timeout: InboundOutcome = {
  kind: "error",
  error: "The flow ran longer than its 30000 ms limit.",
  executionId: null,
  retriable: true,
};

describe("InboundWorker and initial sync messages", () => {
  it("runs a live change ahead of the initial sync messages received before it", async () => {
    const t = await setup(() => done);
    for (let i = 0; i < 80; i++) await t.receive(`J${i}`, 1, "job1");
    await t.receive("LIVE", 1);
    t.worker.start();
    await until("every row run", () => t.runs.length === 81);
    expect(t.runs[0]).toBe("LIVE#1");
    await t.worker.stop();
  });
});

describe("InboundWorker retries", () => {
  it("retries a transient failure later while its lane waits, then processes both in order", async () => {
    // ARRANGE: A#1 times out once; A#2 behind it; B#1 in another lane
    let failures = 1;
    const t = await setup((row) =>
      row.remote_correlation_id === "A" && row.lane_seq === 1 && failures-- > 0 ? timeout : done,
    );
    const a1 = await t.receive("A", 1);
    const a2 = await t.receive("A", 2);
    const b1 = await t.receive("B", 1);
    // ACT
    t.worker.start();
    await until(
      "B#1 processed and A#1 retried once",
      () => t.row(b1)?.status === "processed" && t.row(a1)?.retry_history !== "[]",
    );
    // ASSERT: A#1 waits for its retry (visible in the monitor), A#2 has not run, B went through
    expect(t.row(a1)).toMatchObject({ status: "ready", attempts: 1 });
    const drawer = await t.monitor.row("inbound", a1, t.clock.now);
    expect(drawer?.retryHistory).toEqual([
      expect.objectContaining({ outcome: "retry", error: timeout.error }),
    ]);
    expect(drawer?.waiting).toMatch(/^Next attempt at /);
    expect((await t.monitor.row("inbound", a2, t.clock.now))?.waiting).toMatch(/^Behind row /);
    expect(t.runs).not.toContain("A#2");
    expect(t.row(b1)?.status).toBe("processed");
    // ACT: the retry comes due
    t.advance(60_000);
    await until("A#2 processed", () => t.row(a2)?.status === "processed");
    expect(t.row(a1)).toMatchObject({ status: "processed", attempts: 2 });
    expect(t.row(a2)?.status).toBe("processed");
    expect(t.runs.filter((r) => r.startsWith("A"))).toEqual(["A#1", "A#1", "A#2"]);
    expect(JSON.parse(t.row(a1)?.retry_history ?? "[]").map((h: { outcome: string }) => h.outcome)).toEqual([
      "retry",
      "processed",
    ]);
    await t.worker.stop();
  });

  it("a data error stops the row at once; a transient one stops after the policy's retries", async () => {
    const t = await setup((row) =>
      row.remote_correlation_id === "D"
        ? { kind: "error", error: "Field state is not a choice", executionId: null, retriable: false }
        : timeout,
    );
    const d = await t.receive("D", 1);
    const s = await t.receive("S", 1);
    t.worker.start();
    await until("D in error", () => t.row(d)?.status === "error");
    for (let i = 0; i < 2; i++) {
      await until(`retry ${i + 1} of S`, () => JSON.parse(t.row(s)?.retry_history ?? "[]").length === i + 1);
      t.advance(60_000);
    }
    await until("S in error", () => t.row(s)?.status === "error");
    expect(t.row(d)).toMatchObject({ status: "error", attempts: 1, error_kind: "data" });
    expect(t.row(s)).toMatchObject({ status: "error", attempts: 3, error_kind: "transient" });
    expect((await t.monitor.row("inbound", s))?.lastError).toMatch(/retries exhausted/);
    expect((await t.monitor.row("inbound", s))?.waiting).toMatch(/Retries exhausted/);
    // Reprocess: ready again with attempts reset, history kept
    expect((await t.ops.reprocessRows("inbound", [s], "operator")).changed).toEqual([s]);
    await until("S tried again", () => t.runs.filter((r) => r === "S#1").length === 4);
    await until("S waiting for its retry", () => t.row(s)?.status === "ready");
    expect(t.row(s)?.attempts).toBe(1);
    expect(JSON.parse(t.row(s)?.retry_history ?? "[]")).toHaveLength(4);
    await t.worker.stop();
  });
});

import { describe, expect, it } from "vitest";
import { createLogger } from "../../log/logger";
import { SyncConfig } from "../../sync/config-store";
import { SecretBox } from "../../sync/secrets";
import { memoryInstance } from "../../testing/memory-instance";
import { OutboundEnqueuer } from "./enqueue";
import { type OutboundRow, OutboundStore } from "./store";
import { OutboundWorker, type RunOutcome } from "./worker";

// The outbound queue's state machine with a scripted runner instead of flows and HTTP.
function setup(run: (row: OutboundRow) => Promise<RunOutcome> | RunOutcome) {
  const { db, storage } = memoryInstance();
  const config = new SyncConfig(storage, SecretBox.forTests());
  const remote = async (name: string) => {
    const r = await config.createRemote({
      name,
      baseUrl: "http://localhost:1",
      retryTimes: 2,
      retryIntervalMs: 10,
      retryBackoff: "fixed",
    });
    await config.setRemoteState(r.id, { outbound: "active", inbound: "active", message: "" });
    return r.id;
  };
  const store = new OutboundStore(storage);
  const runs: OutboundRow[] = [];
  const errors: string[] = [];
  const worker = new OutboundWorker({
    store,
    config,
    logger: createLogger("test", "silent"),
    run: async (row) => {
      runs.push(row);
      return run(row);
    },
    onRemoteError: async (id) => {
      errors.push(id);
    },
    idleMs: 20,
  });
  const enqueuer = new OutboundEnqueuer(storage);
  // One row committed on its own (SQLite runs the plan at once), as a captured change does.
  const enqueue = (remoteSystemId: string, record: string, initialSyncJobId: string | null = null) =>
    storage.runSync(
      enqueuer.enqueuePlan({
        initialSyncJobId,
        processEvent: "e",
        remoteSystemId,
        captureDefinitionId: null,
        flowBindingId: "b",
        operation: "update",
        tableName: "incident",
        recordSysId: record,
        payload: { record },
        domain: "global",
      }),
    );
  const statuses = () =>
    db.$client.prepare("SELECT id, status, attempts FROM outbound_queue ORDER BY id").all();
  const settle = () => new Promise((r) => setTimeout(r, 150));
  /** Waits for a condition the worker must reach (no fixed sleep: a loaded machine is slow). */
  const until = async (check: () => boolean, what: string) => {
    const deadline = Date.now() + 10_000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return { db, config, remote, store, worker, enqueue, runs, errors, statuses, settle, until };
}
const ok: RunOutcome = { kind: "processed", executionId: null, flowVersion: 1 };

describe("OutboundWorker", () => {
  /* 50 rows of an initial sync job wait; a live change made after them goes first, and the job
     never has more than its share of rows in flight. */
  it("sends a live change ahead of an initial sync job's rows, and caps the job's rows in flight", async () => {
    const order: string[] = [];
    let jobInFlight = 0;
    let maxJobInFlight = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const t = setup(async (row) => {
      order.push(row.record_sys_id);
      if (row.initial_sync_job_id) {
        jobInFlight += 1;
        maxJobInFlight = Math.max(maxJobInFlight, jobInFlight);
        await gate;
        jobInFlight -= 1;
      }
      return ok;
    });
    const r = await t.remote("beta");
    for (let i = 0; i < 50; i++) t.enqueue(r, `job${i}`, "job1");
    t.enqueue(r, "live");
    t.worker.start();
    await t.until(() => order.includes("live"), "the live row sent");
    expect(order[0]).toBe("live");
    release();
    await t.until(() => order.length === 51, "every row sent");
    expect(maxJobInFlight).toBeLessThanOrEqual(32);
    await t.worker.stop();
  });

  it("sends a lane's rows strictly in order, one at a time", async () => {
    const order: string[] = [];
    const t = setup(async (row) => {
      order.push(`${row.record_sys_id}#${row.lane_seq}`);
      await new Promise((r) => setTimeout(r, 5));
      return ok;
    });
    const r = await t.remote("beta");
    t.worker.start();
    for (let i = 0; i < 3; i++) t.enqueue(r, "A");
    t.enqueue(r, "B");
    await t.until(() => order.length === 4, "four rows sent");
    expect(order.filter((o) => o.startsWith("A"))).toEqual(["A#1", "A#2", "A#3"]);
    expect(order).toContain("B#1");
    await t.worker.stop();
  });

  /*  A#1 fails with a data error → A#2 waits (lane blocked); B keeps flowing; skip A#1 → A#2 goes. */
  it("a data error blocks only its lane; skipping the row unblocks it", async () => {
    const t = setup((row) =>
      row.record_sys_id === "A" && row.lane_seq === 1
        ? { kind: "data", error: "bad field", executionId: null, flowVersion: 1 }
        : ok,
    );
    const r = await t.remote("beta");
    t.worker.start();
    const a1 = t.enqueue(r, "A");
    t.enqueue(r, "A");
    t.enqueue(r, "B");
    const status = (id: number) =>
      (t.statuses() as Array<{ id: number; status: string }>).find((x) => x.id === id)?.status;
    await t.until(() => status(1) === "error" && status(3) === "processed", "A#1 in error and B processed");
    await t.settle(); // A#2 must stay waiting behind A#1
    expect(t.statuses()).toEqual([
      { id: 1, status: "error", attempts: 1 },
      { id: 2, status: "ready", attempts: 0 },
      { id: 3, status: "processed", attempts: 1 },
    ]);
    t.db.$client.prepare("UPDATE outbound_queue SET status = 'skipped' WHERE id = ?").run(a1);
    t.worker.wake();
    await t.until(() => status(2) === "processed", "A#2 processed after the skip");
    expect(t.statuses()).toContainEqual({ id: 2, status: "processed", attempts: 1 });
    await t.worker.stop();
  });

  it("retries connection errors by the policy, then errors the row and the remote once, and stops sending", async () => {
    const t = setup(() => ({ kind: "connection", error: "ECONNREFUSED", executionId: null, flowVersion: 1 }));
    const dead = await t.remote("dead");
    const alive = await t.remote("alive");
    t.worker.start();
    t.enqueue(dead, "A");
    t.enqueue(dead, "B");
    await t.until(
      () => t.config.snapshot().remotesById.get(dead)?.outboundState === "error",
      "the remote in error",
    );
    await t.until(() => t.errors.length > 0, "the error subflow");
    expect(t.errors).toEqual([dead]); // the error subflow ran once
    const rows = t.statuses() as Array<{ status: string; attempts: number }>;
    expect(rows.some((row) => row.status === "error" && row.attempts === 3)).toBe(true);
    const runsBefore = t.runs.length;
    t.enqueue(dead, "C");
    await t.settle();
    expect(t.runs.length).toBe(runsBefore); // nothing more is sent to a remote in error
    // the other remote is not starved
    t.enqueue(alive, "X");
    await t.until(() => t.runs.at(-1)?.remote_system_id === alive, "the other remote's row sent");
    // after activation, connection errors go again
    expect(await t.store.requeueConnectionErrors(dead, Date.now())).toBeGreaterThan(0);
    await t.worker.stop();
  });

  it("probes a remote that cannot be reached with one row at a time, so only the first exhausts its retries", async () => {
    let inFlight = 0;
    let most = 0;
    let failures = 0;
    const t = setup(async () => {
      inFlight += 1;
      most = failures > 0 ? Math.max(most, inFlight) : most;
      await new Promise((r) => setTimeout(r, 2));
      inFlight -= 1;
      failures += 1;
      return { kind: "connection", error: "ECONNREFUSED", executionId: null, flowVersion: 1 };
    });
    const dead = await t.remote("dead");
    for (const record of ["A", "B", "C", "D"]) t.enqueue(dead, record);
    t.worker.start();
    await t.until(
      () => t.config.snapshot().remotesById.get(dead)?.outboundState === "error",
      "the remote in error",
    );
    await t.settle();
    const rows = t.statuses() as Array<{ status: string }>;
    expect(rows.filter((r) => r.status === "error")).toHaveLength(1);
    expect(rows.filter((r) => r.status === "ready")).toHaveLength(3);
    expect(most).toBe(1); // after the first failures, one attempt at a time
    await t.worker.stop();
  });

  it("puts rows a crash left in processing back to ready at start", async () => {
    const t = setup(() => ok);
    const r = await t.remote("beta");
    t.enqueue(r, "A");
    t.db.$client.prepare("UPDATE outbound_queue SET status = 'processing'").run();
    expect(await t.store.recover()).toBe(1);
    expect(t.statuses()).toEqual([{ id: 1, status: "ready", attempts: 0 }]);
  });
});

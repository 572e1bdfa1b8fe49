import { expect, it } from "vitest";
import { IdempotencyKeys } from "../idempotency/idempotency-keys";
import type { WireMessage } from "../protocol/wire-schema";
import { all, get, run, type Storage, sql } from "../storage";
import { InboundAcceptor } from "./inbound/accept";
import { InboundStore } from "./inbound/store";
import { QueueOperations } from "./operations";
import { enqueuePlan, OutboundEnqueuer, type OutboundRowInput } from "./outbound/enqueue";
import { type OutboundRow, OutboundStore } from "./outbound/store";

// The queues' state machines on every dialect (issue 13): SQLite in queues.test.ts, a real
// PostgreSQL in tests/integration/storage-seam.test.ts (which also runs two processes at once).

const R = "remote-1";
export const input = (record: string, remote = R): OutboundRowInput => ({
  processEvent: "e",
  remoteSystemId: remote,
  captureDefinitionId: null,
  flowBindingId: "b",
  operation: "update",
  tableName: "incident",
  recordSysId: record,
  payload: { record },
  domain: "global",
});
export const message = (id: string, lane: string, seq: number): WireMessage => ({
  id,
  process_event: "e",
  operation: "update",
  sender_correlation_id: lane,
  receiver_correlation_id: null,
  lane_sequence: seq,
  payload: { id },
});

const outboundRows = sql<{
  id: number;
  status: string;
  attempts: number;
  claimed_by: string | null;
  error_kind: string | null;
  retry_history: string;
  flow_version: number | null;
}>(
  "SELECT id, status, attempts, claimed_by, error_kind, retry_history, flow_version FROM outbound_queue ORDER BY id",
);
const inboundRow = sql<{
  status: string;
  attempts: number;
  claimed_by: string | null;
  retry_history: string;
}>("SELECT status, attempts, claimed_by, retry_history FROM inbound_queue WHERE sequence = ?");
const actions = sql<{ queue: string; row_id: number; action: string; user: string }>(
  `SELECT queue, row_id, action, "user" FROM queue_action ORDER BY id`,
);
const setStatus = sql("UPDATE outbound_queue SET status = ?, error_kind = ? WHERE id = ?");

async function enqueue(storage: Storage, ...records: string[]): Promise<number[]> {
  return storage.transaction(function* () {
    const ids: number[] = [];
    for (const record of records) ids.push(yield* enqueuePlan(input(record)));
    return ids;
  });
}

const lanes = (rows: OutboundRow[]) => rows.map((r) => `${r.record_sys_id}#${r.lane_seq}`);
const processed = (id: number) => ({
  id,
  kind: "processed" as const,
  executionId: null,
  flowVersion: 1,
  durationMs: 3,
});

export function queuesContract(fresh: () => Promise<Storage>): void {
  it("enqueues rows numbered per lane and claims lane heads only, strictly in lane order", async () => {
    const storage = await fresh();
    const store = new OutboundStore(storage, { processId: "p1" });
    const ids = await enqueue(storage, "A", "A", "B", "A");
    expect(ids).toEqual([1, 2, 3, 4]);
    const now = Date.now() + 1;
    const first = await store.claim(R, now, 10);
    expect(lanes(first)).toEqual(["A#1", "B#1"]);
    expect(first.map((r) => [r.status, r.attempts, r.claimed_by])).toEqual([
      ["processing", 1, "p1"],
      ["processing", 1, "p1"],
    ]);
    expect(await store.claim(R, now, 10)).toEqual([]); // A#2 waits behind A#1
    expect(await store.complete([processed(1)], now)).toBe(1);
    expect(lanes(await store.claim(R, now, 10))).toEqual(["A#2"]);
    await store.complete([processed(2)], now);
    expect(lanes(await store.claim(R, now, 10))).toEqual(["A#3"]); // row 4
    expect((await store.get(4))?.status).toBe("processing");
    expect(await store.nextDue(R)).toBeNull(); // nothing ready
  });

  it("spreads lanes between two processes: a lane is worked by one of them at a time", async () => {
    const storage = await fresh();
    const [p1, p2] = [
      new OutboundStore(storage, { processId: "p1" }),
      new OutboundStore(storage, { processId: "p2" }),
    ];
    await enqueue(storage, "A", "B", "C", "D", "A", "B", "C", "D");
    const now = Date.now() + 1;
    const mine = await p1.claim(R, now, 2);
    const theirs = await p2.claim(R, now, 10);
    expect(lanes(mine)).toEqual(["A#1", "B#1"]);
    expect(lanes(theirs)).toEqual(["C#1", "D#1"]); // not A#2: its lane head is p1's
    expect(await p1.claim(R, now, 10)).toEqual([]);
    // p1 finishes A#1: A#2 goes to whoever asks first, once
    await p1.complete([processed(1)], now);
    expect(lanes(await p2.claim(R, now, 10))).toEqual(["A#2"]);
    expect(await p1.claim(R, now, 10)).toEqual([]);
    const byProcess = (await storage.read(all(outboundRows))).map((r) => `${r.id}:${r.claimed_by}`);
    expect(byProcess).toEqual(["1:p1", "2:p1", "3:p2", "4:p2", "5:p2", "6:null", "7:null", "8:null"]);
    // an outcome lands only on the rows the writer holds
    expect(await p1.complete([processed(5)], now)).toBe(0);
    expect((await p1.get(5))?.status).toBe("processing");
  });

  it("returns the rows of a process whose lease ran out to ready, and renewal keeps them", async () => {
    const storage = await fresh();
    const [dead, alive, other] = [
      new OutboundStore(storage, { processId: "dead", leaseMs: 1000 }),
      new OutboundStore(storage, { processId: "alive", leaseMs: 1000 }),
      new OutboundStore(storage, { processId: "other", leaseMs: 1000 }),
    ];
    await enqueue(storage, "A", "B", "A");
    const now = Date.now() + 1;
    expect(lanes(await dead.claim(R, now, 1))).toEqual(["A#1"]);
    expect(lanes(await alive.claim(R, now, 1))).toEqual(["B#1"]);
    expect(await other.sweep(now + 999, [R])).toBe(0); // both leases still run
    expect(await alive.renew(now + 800, [R])).toBe(1); // alive's now runs until now + 1800
    const signals: string[] = [];
    storage.signals.listen("outbound", (p) => signals.push(p));
    expect(await other.sweep(now + 1001, [R])).toBe(1); // dead's row only
    expect(signals).toHaveLength(1); // the workers wake
    const rows = await storage.read(all(outboundRows));
    expect(rows.map((r) => [r.status, r.claimed_by])).toEqual([
      ["ready", null],
      ["processing", "alive"],
      ["ready", null],
    ]);
    // the row goes again (the receiver dedups by message id), before the row behind it
    expect(lanes(await other.claim(R, now + 1001, 10))).toEqual(["A#1"]);
    expect((await other.get(1))?.attempts).toBe(2);
    // the dead process's late outcome is dropped: the row is other's now
    expect(await dead.complete([processed(1)], now + 1002)).toBe(0);
    expect(await alive.sweep(now + 1799, [R])).toBe(0);
    // recover (an instance of one process, at start): every row processing goes back
    expect(await alive.recover()).toBe(2);
  });

  it("writes the outcomes: processed, retry later, error; and requeues connection errors after activation", async () => {
    const storage = await fresh();
    const store = new OutboundStore(storage, { processId: "p1" });
    await enqueue(storage, "A", "B", "C", "D");
    const now = Date.now() + 1;
    expect(await store.claim(R, now, 10)).toHaveLength(4);
    const common = { executionId: "x", flowVersion: 3, durationMs: 7 };
    expect(
      await store.complete(
        [
          { id: 1, kind: "processed", ...common },
          { id: 2, kind: "retry", error: "ECONNREFUSED", nextAttemptAt: now + 5000, ...common },
          { id: 3, kind: "error", errorKind: "connection", error: "gone (retries exhausted)", ...common },
          { id: 4, kind: "error", errorKind: "data", error: "bad field", ...common },
        ],
        now,
      ),
    ).toBe(4);
    const rows = await storage.read(all(outboundRows));
    expect(rows.map((r) => [r.status, r.error_kind, r.flow_version])).toEqual([
      ["processed", null, 3],
      ["ready", null, 3],
      ["error", "connection", 3],
      ["error", "data", 3],
    ]);
    expect(rows.map((r) => JSON.parse(r.retry_history))).toEqual([
      [{ at: now, outcome: "processed" }],
      [{ at: now, outcome: "retry", error: "ECONNREFUSED" }],
      [{ at: now, outcome: "error", error: "gone (retries exhausted)" }],
      [{ at: now, outcome: "error", error: "bad field" }],
    ]);
    expect(await store.nextDue(R)).toBe(now + 5000);
    expect(await store.claim(R, now + 10, 10)).toEqual([]); // B#1 is not due yet
    const signals: string[] = [];
    storage.signals.listen("outbound", (p) => signals.push(p));
    expect(await store.requeueConnectionErrors(R, now + 20)).toBe(1); // C only, not the data error
    expect(signals).toEqual([R]);
    const c = await store.get(3);
    expect([c?.status, c?.attempts, c?.error_kind, c?.next_attempt_at]).toEqual(["ready", 0, null, now + 20]);
    expect(lanes(await store.claim(R, now + 30, 10))).toEqual(["C#1"]);
  });

  it("reprocesses and skips rows in one transaction each, logged, and wakes the workers", async () => {
    const storage = await fresh();
    await enqueue(storage, "A", "A", "B");
    await storage.write(function* () {
      yield* run(setStatus, "error", "data", 1);
      yield* run(setStatus, "processed", null, 3);
    });
    const ops = new QueueOperations(storage);
    const woken: string[] = [];
    storage.signals.listen("outbound", () => woken.push("outbound"));
    expect(await ops.skipRows("outbound", [1, 3, 99], "ann")).toEqual({
      changed: [1],
      unchanged: [
        { id: 3, reason: "status is processed" },
        { id: 99, reason: "not found" },
      ],
    });
    expect(woken).toEqual(["outbound"]);
    expect(await ops.reprocessRows("outbound", [1, 1], "bob")).toEqual({ changed: [1], unchanged: [] });
    expect(await storage.read(all(actions))).toEqual([
      { queue: "outbound", row_id: 1, action: "skip", user: "ann" },
      { queue: "outbound", row_id: 1, action: "reprocess", user: "bob" },
    ]);
    const row = await new OutboundStore(storage).get(1);
    expect([row?.status, row?.attempts, row?.flow_version]).toEqual(["ready", 0, null]);
  });

  it("wakes the workers once the enqueued rows committed", async () => {
    const storage = await fresh();
    const enqueuer = new OutboundEnqueuer(storage);
    const woken: string[] = [];
    storage.signals.listen("outbound", () => woken.push("outbound"));
    await expect(
      storage.transaction(function* () {
        yield* enqueuer.enqueuePlan(input("A"));
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (storage.dialect === "postgres") expect(woken).toEqual([]); // nothing committed, nobody woken
    woken.length = 0;
    await storage.transaction(function* () {
      yield* enqueuer.enqueuePlan(input("A"));
      yield* enqueuer.enqueuePlan(input("B"));
    });
    await expect.poll(() => woken).toEqual(["outbound"]); // once the rows committed, once per turn
  });

  it("accepts a batch once: a message sent again is a duplicate, and the lane keeps one local id", async () => {
    const storage = await fresh();
    const acceptor = new InboundAcceptor(storage);
    const woken: string[] = [];
    storage.signals.listen("inbound", () => woken.push("inbound"));
    const first = await acceptor.accept(R, [message("m1", "L", 1), message("m2", "L", 2)], "global");
    expect(first.map((r) => [r.status, r.sequence])).toEqual([
      ["accepted", 1],
      ["accepted", 2],
    ]);
    const localId = first[0]?.receiver_correlation_id;
    expect(localId).toBeTruthy();
    expect(first[1]?.receiver_correlation_id).toBe(localId);
    const again = await acceptor.accept(R, [message("m2", "L", 2), message("m3", "L", 3)], "global");
    expect(again).toEqual([
      { id: "m2", status: "duplicate", sequence: 2, receiver_correlation_id: localId },
      { id: "m3", status: "accepted", sequence: 3, receiver_correlation_id: localId },
    ]);
    await expect.poll(() => woken.length).toBe(2);
    expect(await new InboundStore(storage).backlog()).toBe(3);
  });

  it("claims inbound lane heads in sequence order, with leases, retries and sweeps", async () => {
    const storage = await fresh();
    const acceptor = new InboundAcceptor(storage);
    await acceptor.accept(R, [message("a1", "A", 1), message("a2", "A", 2), message("b1", "B", 1)], "global");
    const [p1, p2] = [
      new InboundStore(storage, { processId: "p1", leaseMs: 1000 }),
      new InboundStore(storage, { processId: "p2", leaseMs: 1000 }),
    ];
    const now = Date.now() + 1;
    const claimed = await p1.claim(R, now, 1);
    expect(claimed.map((r) => [r.sequence, r.attempts, r.claimed_by])).toEqual([[1, 1, "p1"]]);
    expect((await p2.claim(R, now, 10)).map((r) => r.sequence)).toEqual([3]); // not 2: behind 1
    const common = { executionId: null, durationMs: 2 };
    // p1's retry: the row waits until due, and its lane with it
    expect(
      await p1.complete(
        [{ sequence: 1, kind: "retry", error: "timeout", nextAttemptAt: now + 500, ...common }],
        now,
      ),
    ).toBe(1);
    expect(await p2.claim(R, now + 100, 10)).toEqual([]);
    expect((await p2.claim(R, now + 500, 10)).map((r) => [r.sequence, r.attempts])).toEqual([[1, 2]]);
    // p2 dies holding rows 1 and 3; p1 sweeps after the lease
    expect(await p2.renew(now + 900)).toBe(2); // both run until now + 1900
    expect(await p1.sweep(now + 1899)).toBe(0);
    expect(await p1.sweep(now + 1901)).toBe(2);
    expect((await storage.read(get(inboundRow, 3)))?.status).toBe("ready");
    expect((await p1.claim(R, now + 1901, 10)).map((r) => r.sequence)).toEqual([1, 3]);
    // the keys of row 1's effects go with its processed mark, and only with a mark that lands
    const keys = new IdempotencyKeys(storage);
    await keys.save("in:r:m1:create", '{"sys_id":"a"}');
    await keys.save("in:r:m3:create", '{"sys_id":"b"}');
    const keysUsed = ["in:r:m1:create"];
    expect(
      await p2.complete([{ sequence: 1, kind: "processed", warning: null, keysUsed, ...common }], now),
    ).toBe(0);
    expect(await keys.find("in:r:m1:create")).toBe('{"sys_id":"a"}');
    expect(
      await p1.complete(
        [
          { sequence: 1, kind: "processed", warning: "w", keysUsed, ...common },
          { sequence: 3, kind: "error", errorKind: "data", error: "bad", ...common },
        ],
        now + 2002,
      ),
    ).toBe(2);
    const one = await storage.read(get(inboundRow, 1));
    expect([one?.status, one?.attempts]).toEqual(["processed", 3]);
    expect(await keys.find("in:r:m1:create")).toBeUndefined();
    expect(await keys.find("in:r:m3:create")).toBe('{"sys_id":"b"}'); // row 3 may be reprocessed
    // a success after retries records its end in the history
    expect(JSON.parse(one?.retry_history ?? "[]").map((h: { outcome: string }) => h.outcome)).toEqual([
      "retry",
      "processed",
    ]);
    expect((await p1.claim(R, now + 2003, 10)).map((r) => r.sequence)).toEqual([2]);
    expect(await p1.recover()).toBe(1);
    expect(await p1.backlog()).toBe(1);
  });
}

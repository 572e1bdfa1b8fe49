import { expect, it } from "vitest";
import { type Plan, run, type Storage, sql } from "../storage";
import { SyncConfig } from "../sync/config-store";
import { SecretBox } from "../sync/secrets";
import { dashboard } from "./dashboard";
import { LiveChanges } from "./live";
import { QueueMonitor } from "./monitor";
import { encodePayload } from "./payload-codec";
import { queueHistoryOfRecord } from "./record-history";

// The read side of the queues (monitors, dashboard, live ticks, a record's queue history) on every
// dialect (issue 13): SQLite in views.test.ts, a real PostgreSQL in
// tests/integration/storage-seam.test.ts. `fresh` gives an empty, migrated instance database.

const outboundRow = sql(
  `INSERT INTO outbound_queue (message_id, status, process_event, remote_system_id, flow_binding_id, operation, table_name,
     record_sys_id, lane_seq, payload, attempts, next_attempt_at, retry_history, last_error, error_kind,
     flow_execution_id, created_at, started_at, finished_at, processing_ms)
   VALUES (?, ?, ?, ?, 'b', 'create', 'incident', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
);
const inboundRow = sql(
  `INSERT INTO inbound_queue (message_id, remote_system_id, process_event, operation, local_correlation_id,
     remote_correlation_id, lane_seq, payload, status, attempts, next_attempt_at, received_at, finished_at)
   VALUES (?, ?, ?, 'update', ?, ?, ?, '{}', ?, 0, 0, ?, ?)`,
);
const action = sql(
  'INSERT INTO queue_action (queue, row_id, action, "user", detail, at) VALUES (?, ?, ?, ?, ?, ?)',
);
const execution = sql(
  `INSERT INTO flow_execution (id, flow_id, version, status, queue, queue_row_id, run_key, error_node_id, started_at, detail)
   VALUES (?, 'f1', ?, 'error', 'outbound', ?, ?, ?, ?, 'full')`,
);

interface Out {
  message: string;
  status: string;
  event?: string;
  remote: string;
  sysId?: string;
  seq?: number;
  payload?: string;
  attempts?: number;
  nextAttemptAt?: number;
  retryHistory?: string;
  lastError?: string | null;
  errorKind?: string | null;
  executionId?: string | null;
  createdAt: number;
  startedAt?: number | null;
  finishedAt?: number | null;
  processingMs?: number | null;
}

function* outbound(o: Out): Plan<void> {
  yield* run(
    outboundRow,
    o.message,
    o.status,
    o.event ?? "Incident Create",
    o.remote,
    // the lane is the remote and the record: rows of one record share it
    o.sysId ?? `s-${o.message}`,
    o.seq ?? 1,
    o.payload ?? "{}",
    o.attempts ?? 0,
    o.nextAttemptAt ?? 0,
    o.retryHistory ?? "[]",
    o.lastError ?? null,
    o.errorKind ?? null,
    o.executionId ?? null,
    o.createdAt,
    o.startedAt ?? null,
    o.finishedAt ?? null,
    o.processingMs ?? null,
  );
}

async function setup(fresh: () => Promise<Storage>) {
  const storage = await fresh();
  const config = new SyncConfig(storage, SecretBox.forTests());
  await config.load();
  const remote = await config.createRemote({ name: "beta", baseUrl: "http://localhost:3001" });
  return { storage, config, remote: remote.id, monitor: new QueueMonitor(storage, config) };
}

export function queueViewsContract(fresh: () => Promise<Storage>): void {
  it("lists a queue newest first, filtered, a page at a time, each waiting row with its reason", async () => {
    const { storage, config, remote, monitor } = await setup(fresh);
    const t = 1_700_000_000_000;
    await storage.transaction(function* () {
      yield* outbound({
        message: "m1",
        status: "processed",
        remote,
        sysId: "s1",
        createdAt: t,
        finishedAt: t + 5,
      });
      yield* outbound({ message: "m2", status: "error", remote, sysId: "L", seq: 1, createdAt: t + 10 });
      yield* outbound({ message: "m3", status: "ready", remote, sysId: "L", seq: 2, createdAt: t + 20 });
      yield* outbound({ message: "m4", status: "ready", remote, event: "Change", createdAt: t + 30 });
      yield* outbound({ message: "m5", status: "error", remote, errorKind: "connection", createdAt: t + 40 });
    });
    const ids = (page: { rows: Array<{ id: number }> }) => page.rows.map((r) => r.id);
    expect(ids(await monitor.list({ queue: "outbound", limit: 10 }))).toEqual([5, 4, 3, 2, 1]);
    const page = await monitor.list({ queue: "outbound", limit: 2 });
    expect([ids(page), page.more]).toEqual([[5, 4], true]);
    expect(ids(await monitor.list({ queue: "outbound", limit: 2, before: 4 }))).toEqual([3, 2]);
    expect(
      ids(await monitor.list({ queue: "outbound", statuses: ["ready", "processed"], limit: 10 })),
    ).toEqual([4, 3, 1]);
    expect(ids(await monitor.list({ queue: "outbound", processEvent: "Change", limit: 10 }))).toEqual([4]);
    expect(ids(await monitor.list({ queue: "outbound", from: t + 10, to: t + 30, limit: 10 }))).toEqual([
      3, 2,
    ]);
    expect(ids(await monitor.list({ queue: "outbound", remoteId: "nope", limit: 10 }))).toEqual([]);

    const waiting = async () =>
      Object.fromEntries(
        (await monitor.list({ queue: "outbound", limit: 10 }, t + 100)).rows.map((r) => [r.id, r.waiting]),
      );
    expect(await waiting()).toEqual({
      1: null,
      2: "Failed: waits for a person to reprocess or skip it",
      3: "Remote system beta is not active: validate and activate it",
      4: "Remote system beta is not active: validate and activate it",
      5: "Retries exhausted: waits for beta to be validated and activated again",
    });
    await config.setRemoteState(remote, { outbound: "active", inbound: "active", message: "ok" });
    await storage.write(() =>
      run(sql("UPDATE outbound_queue SET next_attempt_at = ? WHERE id = 4"), t + 1_000),
    );
    const now = await waiting();
    expect(now[3]).toBe("Behind row 2 of its lane (error)");
    expect(now[4]).toBe(`Next attempt at ${new Date(t + 1_000).toISOString()}`);
    const [row] = (await monitor.list({ queue: "outbound", statuses: ["processed"], limit: 1 })).rows;
    expect(row).toMatchObject({
      id: 1,
      queue: "outbound",
      status: "processed",
      remoteName: "beta",
      tableName: "incident",
      recordSysId: "s1",
      correlation: null,
      createdAt: t,
      finishedAt: t + 5,
      startedAt: null,
      waiting: null,
    });
  });

  it("lists the rows whose last execution failed at a node, of a flow version", async () => {
    const { storage, remote, monitor } = await setup(fresh);
    await storage.transaction(function* () {
      const cases = [
        [2, "update"],
        [2, "lookup"],
        [1, "update"],
      ] as const;
      for (const [i, [version, node]] of cases.entries()) {
        yield* run(execution, `x${i}`, version, i + 1, `k${i}`, node, 1);
        yield* outbound({ message: `m${i}`, status: "error", remote, executionId: `x${i}`, createdAt: 1 });
      }
    });
    const failedAt = (version?: number) =>
      monitor.list({ queue: "outbound", failedAt: { flowId: "f1", nodeId: "update", version }, limit: 10 });
    expect((await failedAt(2)).rows.map((r) => r.id)).toEqual([1]);
    expect((await failedAt()).rows.map((r) => r.id)).toEqual([3, 1]);
  });

  it("shows one row with its payload, retry history and who did what; inbound rows with their correlations", async () => {
    const { storage, remote, monitor } = await setup(fresh);
    await storage.transaction(function* () {
      yield* outbound({
        message: "m1",
        status: "error",
        remote,
        payload: encodePayload({ short_description: "Printer" }),
        attempts: 2,
        retryHistory: JSON.stringify([{ at: 5, outcome: "transient", error: "timeout" }]),
        lastError: "timeout",
        createdAt: 1,
        startedAt: 3,
        finishedAt: 6,
        processingMs: 3,
      });
      yield* run(action, "outbound", 1, "reprocess", "ann", null, 10);
      yield* run(action, "outbound", 1, "skip", "bob", "not needed", 20);
      yield* run(inboundRow, "i1", remote, "Incident Update", "loc-1", "rem-1", 1, "ready", 7, null);
    });
    const row = await monitor.row("outbound", 1, 100);
    expect(row).toMatchObject({
      id: 1,
      messageId: "m1",
      attempts: 2,
      lastError: "timeout",
      processingMs: 3,
      flowVersion: null,
      localCorrelationId: null,
      payload: JSON.stringify({ short_description: "Printer" }, null, 2),
      retryHistory: [{ at: 5, outcome: "transient", error: "timeout" }],
      actions: [
        { action: "skip", user: "bob", detail: "not needed", at: 20 },
        { action: "reprocess", user: "ann", detail: null, at: 10 },
      ],
    });
    expect(await monitor.row("outbound", 99)).toBeNull();
    expect(await monitor.row("inbound", 1, 100)).toMatchObject({
      id: 1,
      queue: "inbound",
      correlation: "loc-1",
      localCorrelationId: "loc-1",
      remoteCorrelationId: "rem-1",
      tableName: null,
      createdAt: 7,
      payload: "{}",
      actions: [],
      waiting: "Remote system beta is not active: validate and activate it",
    });
  });

  it("names the process events seen in a queue, in byte order", async () => {
    const { storage, remote, monitor } = await setup(fresh);
    await storage.transaction(function* () {
      for (const [i, event] of ["b event", "B event", "a event", "b event", "Ä event"].entries())
        yield* outbound({ message: `m${i}`, status: "ready", event, remote, createdAt: i });
    });
    expect(await monitor.events("outbound")).toEqual(["B event", "a event", "b event", "Ä event"]);
    expect(await monitor.events("inbound")).toEqual([]);
  });

  it("sums the dashboard: errors, backlog, throughput, times in queue and processing, buckets", async () => {
    const { storage, config, remote } = await setup(fresh);
    const now = Date.UTC(2026, 10, 29, 16, 30);
    const minute = 60_000;
    await storage.transaction(function* () {
      const done = { status: "processed", remote };
      yield* outbound({
        ...done,
        message: "m1",
        createdAt: now - 10 * minute,
        startedAt: now - 9 * minute,
        finishedAt: now - 30_000,
        processingMs: 100,
      });
      yield* outbound({
        ...done,
        message: "m2",
        createdAt: now - 20 * minute,
        startedAt: now - 19 * minute + 1,
        finishedAt: now - 5 * minute,
        processingMs: 201,
      });
      yield* outbound({
        ...done,
        message: "m3",
        createdAt: now - 5 * 3_600_000,
        startedAt: now - 5 * 3_600_000,
        finishedAt: now - 5 * 3_600_000 + 1,
        processingMs: 7,
      });
      yield* outbound({
        message: "m4",
        status: "error",
        remote,
        createdAt: now - 2 * minute,
        finishedAt: now - 90_000,
      });
      yield* outbound({ message: "m5", status: "ready", remote, createdAt: now - minute });
      yield* outbound({ message: "m6", status: "processing", remote, createdAt: now - minute });
      yield* outbound({
        ...done,
        message: "m7",
        createdAt: now - 3 * 86_400_000,
        finishedAt: now - 3 * 86_400_000,
      });
    });
    const view = await dashboard(storage, config, now, "1h");
    expect(view.at).toBe(now);
    expect(view.remotes).toEqual([
      { id: remote, name: "beta", outboundState: "disabled", inboundState: "disabled", stateMessage: "" },
    ]);
    expect(view.remotesInError).toEqual([]);
    expect(view.outbound).toMatchObject({
      errors: 1,
      backlog: 2,
      processed: { minute: 1, hour: 2, day: 3 },
      avgQueueMs: 60_001, // (60 000 + 60 001) / 2, rounded
      avgProcessingMs: 151, // (100 + 201) / 2, rounded
    });
    expect(view.outbound.hours).toHaveLength(24);
    expect(view.outbound.hours.at(-1)).toEqual({ start: now - 30 * minute, processed: 2, errors: 1 });
    expect(view.outbound.hours.at(-6)).toEqual({
      start: now - 30 * minute - 5 * 3_600_000,
      processed: 1,
      errors: 0,
    });
    expect(view.outbound.series.bucketMs).toBe(minute);
    // the minute now is in (16:30) is empty; m1 finished at 16:29:30, m4 failed at 16:28:30
    expect(view.outbound.series.buckets.slice(-3)).toEqual([
      { start: now - 2 * minute, processed: 0, errors: 1 },
      { start: now - minute, processed: 1, errors: 0 },
      { start: now, processed: 0, errors: 0 },
    ]);
    const week = await dashboard(storage, config, now, "7d");
    expect(week.outbound.series.buckets.reduce((n, b) => n + b.processed, 0)).toBe(4);
    expect(week.inbound).toMatchObject({ errors: 0, backlog: 0, avgQueueMs: null, avgProcessingMs: null });
    await config.setRemoteState(remote, { outbound: "error", message: "down" });
    expect((await dashboard(storage, config, now)).remotesInError.map((r) => r.name)).toEqual(["beta"]);
  });

  it("ticks the topics whose signature moved since the last poll", async () => {
    const { storage, config, remote } = await setup(fresh);
    const live = new LiveChanges(storage);
    const seen: string[][] = [];
    const stop = live.subscribe((topics) => seen.push(topics));
    try {
      expect(await live.poll()).toEqual(["outbound", "inbound", "remotes", "initialSync", "executions"]);
      expect(await live.poll()).toEqual([]);
      await storage.write(() => outbound({ message: "m1", status: "ready", remote, createdAt: 1 }));
      expect(await live.poll()).toEqual(["outbound"]);
      await storage.write(() => run(sql("UPDATE outbound_queue SET status = 'processing', attempts = 1")));
      expect(await live.poll()).toEqual(["outbound"]);
      await storage.write(() => run(execution, "x1", 1, 1, "k1", null, 5));
      expect(await live.poll()).toEqual(["executions"]);
      await config.setRemoteState(remote, { outbound: "active", message: "ok" });
      expect(await live.poll()).toEqual(["remotes"]);
      await storage.write(() =>
        run(inboundRow, "i1", remote, "Incident Update", null, "rem-1", 1, "ready", 7, null),
      );
      expect(await live.poll()).toEqual(["inbound"]);
      await storage.write(() =>
        run(
          sql(`INSERT INTO initial_sync_job (id, definition_id, remote_system_id, capture_definition_id, table_name,
             mode, status, total, created_by, created_at, updated_at) VALUES ('j1', 'd', ?, 'c', 'incident', 'create',
             'running', 3, 'admin', 1, 1)`),
          remote,
        ),
      );
      expect(await live.poll()).toEqual(["initialSync"]);
      expect(seen).toEqual([
        ["outbound", "inbound", "remotes", "initialSync", "executions"],
        ["outbound"],
        ["outbound"],
        ["executions"],
        ["remotes"],
        ["inbound"],
        ["initialSync"],
      ]);
    } finally {
      stop();
      live.stop();
    }
  });

  it("gives a record's queue rows both ways, newest first", async () => {
    const { storage, remote } = await setup(fresh);
    await storage.transaction(function* () {
      yield* outbound({ message: "m1", status: "processed", remote, sysId: "rec", createdAt: 1 });
      yield* outbound({ message: "m2", status: "ready", remote, sysId: "other", createdAt: 2 });
      yield* outbound({
        message: "m3",
        status: "error",
        remote,
        sysId: "rec",
        seq: 2,
        lastError: "boom",
        createdAt: 3,
      });
      yield* run(inboundRow, "i1", remote, "Incident Update", "c1", "r1", 1, "processed", 4, 5);
      yield* run(inboundRow, "i2", remote, "Incident Update", "c2", "r2", 1, "ready", 6, null);
      yield* run(inboundRow, "i3", remote, "Incident Update", "c9", "r9", 1, "ready", 7, null);
    });
    const history = await queueHistoryOfRecord(
      storage,
      { table: "incident", sysId: "rec", correlationIds: ["c1", "c2"] },
      10,
    );
    expect(history.outbound).toEqual([
      {
        id: 3,
        status: "error",
        processEvent: "Incident Create",
        remoteSystemId: remote,
        operation: "create",
        attempts: 0,
        lastError: "boom",
        executionId: null,
        at: 3,
      },
      expect.objectContaining({ id: 1, status: "processed", at: 1 }),
    ]);
    expect(history.inbound.map((r) => [r.id, r.status, r.processEvent, r.at])).toEqual([
      [2, "ready", "Incident Update", 6],
      [1, "processed", "Incident Update", 4],
    ]);
    const one = await queueHistoryOfRecord(
      storage,
      { table: "incident", sysId: "rec", correlationIds: [] },
      1,
    );
    expect(one).toEqual({ outbound: [expect.objectContaining({ id: 3 })], inbound: [] });
  });
}

import { createHash } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getTemplate } from "../../flows";
import { alertEvaluatorContract } from "../../server/alerts/alert-evaluator.contract";
import { auditHistoryContract } from "../../server/api/history.contract";
import { contentStoreContract } from "../../server/attachments/content-store.contract";
import { DatabaseContentStore, promote } from "../../server/attachments/database-content-store";
import { authStoresContract } from "../../server/auth/auth-stores.contract";
import { UserDirectory } from "../../server/auth/users";
import { openPostgres } from "../../server/db/postgres";
import { emailOutboxContract } from "../../server/email/email-outbox.contract";
import { FlowStore } from "../../server/flow-store/flow-store";
import { flowStoreContract } from "../../server/flow-store/flow-store.contract";
import { idempotencyKeysContract } from "../../server/idempotency/idempotency-keys.contract";
import { createLogger } from "../../server/log/logger";
import { InboundAcceptor } from "../../server/queue/inbound/accept";
import { enqueuePlan, OutboundEnqueuer } from "../../server/queue/outbound/enqueue";
import { type OutboundRow, OutboundStore } from "../../server/queue/outbound/store";
import { OutboundWorker } from "../../server/queue/outbound/worker";
import { queueGaugesContract } from "../../server/queue/queue-gauges.contract";
import { queuesContract } from "../../server/queue/queues.contract";
import { retentionContract } from "../../server/queue/retention.contract";
import { queueViewsContract } from "../../server/queue/views.contract";
import { executionWriterContract } from "../../server/runner/execution-writer.contract";
import { nodeStatsContract } from "../../server/stats/node-stats.contract";
import { all, get, run, type Storage, sql } from "../../server/storage";
import { PgStorage } from "../../server/storage/postgres";
import { storageContract } from "../../server/storage/storage.contract";
import { SyncConfig } from "../../server/sync/config-store";
import { syncConfigContract } from "../../server/sync/config-store.contract";
import { correlationStoreContract } from "../../server/sync/correlations.contract";
import { invitationStoreContract } from "../../server/sync/invitations.contract";
import { SecretBox } from "../../server/sync/secrets";
import { TableRegistry } from "../../server/tables/registry";
import { tableRegistryContract } from "../../server/tables/registry.contract";
import { memoryInstance } from "../../server/testing/memory-instance";
import { type RunningPostgres, startPostgres } from "../support/postgres";

// The storage seam (issue 13): every store on plans passes the same contract on a real
// PostgreSQL server, with the migrations of drizzle/pg, as it does on SQLite (each contract's
// SQLite run is a unit test beside the store, e.g. server/sync/correlations.test.ts).

const countContentRows = sql<{ n: number }>("SELECT count(*) AS n FROM attachment_content");

const contracts: Array<[string, (fresh: () => Promise<Storage>) => void]> = [
  ["PgStorage itself", storageContract],
  ["CorrelationStore", correlationStoreContract],
  ["SyncConfig", syncConfigContract],
  ["auth stores (sessions, credentials, throttle audit)", authStoresContract],
  ["InvitationStore", invitationStoreContract],
  ["FlowStore and flow queries", flowStoreContract],
  ["IdempotencyKeys", idempotencyKeysContract],
  ["email outbox", emailOutboxContract],
  ["AlertEvaluator", alertEvaluatorContract],
  ["node stats", nodeStatsContract],
  ["ExecutionWriter", executionWriterContract],
  ["queue gauges", queueGaugesContract],
  ["queue retention", retentionContract],
  ["queue views (monitor, dashboard, live, record history)", queueViewsContract],
  ["TableRegistry", tableRegistryContract],
  ["record audit history", auditHistoryContract],
  ["queues (outbound and inbound state machines)", queuesContract],
];

const open: Storage[] = [];
afterEach(async () => {
  for (const storage of open.splice(0)) await storage.close();
});

describe("stores on PostgreSQL", () => {
  let server: RunningPostgres;
  let databases = 0;
  beforeAll(async () => {
    server = await startPostgres({ fsync: false }); // nothing here kills the server
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function freshPg(): Promise<PgStorage> {
    databases += 1;
    const { pool } = await openPostgres(await server.createDatabase(`seam${databases}`));
    const storage = new PgStorage(pool);
    open.push(storage);
    return storage;
  }

  for (const [name, contract] of contracts) describe(name, () => contract(freshPg));

  it("promotes one copy when two processes finish the same content at once", async () => {
    const storage = await freshPg();
    const stage = sql("INSERT INTO attachment_content (hash, seq, bytes, staged_at) VALUES (?, 0, ?, 1)");
    const bytes = Buffer.from("same bytes");
    const hash = createHash("sha256").update(bytes).digest("hex");
    for (const id of ["staging:a", "staging:b"]) await storage.write(() => run(stage, id, bytes));
    // The other process has renamed its chunks to the hash but not committed yet: this one does
    // not see them, its rename waits on their key and fails once they commit.
    const other = await storage.pool.connect();
    await other.query("BEGIN");
    await other.query("UPDATE attachment_content SET hash = $1, staged_at = NULL WHERE hash = 'staging:a'", [
      hash,
    ]);
    const mine = storage.transaction(() => promote("staging:b", hash, 1));
    await new Promise((r) => setTimeout(r, 300));
    await other.query("COMMIT");
    other.release();
    await mine;
    const rows = await storage.read(all(sql<{ hash: string }>("SELECT hash FROM attachment_content")));
    expect(rows).toEqual([{ hash }]);
  });

  it("signals reach the other processes once, and a dropped LISTEN connection comes back with RESYNC", async () => {
    const url = await server.createDatabase("signals");
    const [a, b] = [
      new PgStorage((await openPostgres(url)).pool),
      new PgStorage((await openPostgres(url)).pool),
    ];
    open.push(a, b);
    await Promise.all([a.signals.started(), b.signals.started()]);
    const seenA: string[] = [];
    const seenB: string[] = [];
    a.signals.listen("outbound", (p) => seenA.push(p));
    b.signals.listen("outbound", (p) => seenB.push(p));
    a.signals.notify("outbound", "remote-1");
    expect(seenA).toEqual(["remote-1"]); // at once, in the process that committed
    await expect.poll(() => seenB).toEqual(["remote-1"]);
    await new Promise((r) => setTimeout(r, 100));
    expect(seenA).toEqual(["remote-1"]); // its own NOTIFY is not delivered a second time
    // The server ends b's LISTEN connection: b reconnects and tells its listeners to look again.
    await a.pool.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN %' AND pid <> pg_backend_pid()",
    );
    await expect.poll(() => seenB.includes("*"), { timeout: 5_000 }).toBe(true);
    a.signals.notify("outbound", "remote-2");
    await expect.poll(() => seenB.at(-1), { timeout: 5_000 }).toBe("remote-2");
  });

  /** Two processes of one instance: two pools (and LISTEN connections) on one database. */
  async function twoProcesses(name: string): Promise<[PgStorage, PgStorage]> {
    const url = await server.createDatabase(name);
    const pair: [PgStorage, PgStorage] = [
      new PgStorage((await openPostgres(url)).pool),
      new PgStorage((await openPostgres(url)).pool),
    ];
    open.push(...pair);
    await Promise.all(pair.map((s) => s.signals.started()));
    return pair;
  }

  it("a remote set to error by one process stops it in the other's snapshot, whose workers wake", async () => {
    const [a, b] = await twoProcesses("config2");
    const [mine, theirs] = [new SyncConfig(a, SecretBox.forTests()), new SyncConfig(b, SecretBox.forTests())];
    await Promise.all([mine.load(), theirs.load()]);
    const remote = await mine.createRemote({ name: "beta", baseUrl: "http://localhost:3001" });
    await mine.setRemoteState(remote.id, { outbound: "active", inbound: "active", message: "ok" });
    await expect.poll(() => theirs.snapshot().remotesById.get(remote.id)?.outboundState).toBe("active");
    let woken = 0;
    theirs.onChange(() => woken++);
    await mine.setRemoteState(remote.id, { outbound: "error", message: "Retries exhausted" });
    await expect.poll(() => theirs.snapshot().remotesById.get(remote.id)?.outboundState).toBe("error");
    expect(woken).toBeGreaterThanOrEqual(1);
    // and Validate and Activate in the other one resumes it here
    await theirs.setRemoteState(remote.id, { outbound: "active", inbound: "active", message: "ok" });
    await expect.poll(() => mine.snapshot().remotesById.get(remote.id)?.outboundState).toBe("active");
  });

  it("a table installed by one process is known to the other's registry", async () => {
    const [a, b] = await twoProcesses("tables2");
    const [mine, theirs] = [new TableRegistry(a), new TableRegistry(b)];
    await Promise.all([mine.load(), theirs.load()]);
    expect(() => theirs.require("widget")).toThrow(/Invalid table widget/);
    await mine.install([
      { name: "widget", label: "Widget", numberPrefix: null, displayField: "name", fields: [] },
    ]);
    await expect.poll(() => theirs.get("widget")?.label).toBe("Widget");
    mine.close();
    theirs.close();
  });

  it("a flow published by one process is the one the other's runner gets next", async () => {
    const [a, b] = await twoProcesses("flows2");
    const [mine, theirs] = [new FlowStore(a), new FlowStore(b)];
    const { id: _id, ...graph } = structuredClone(getTemplate("outbound-basic")?.graph) as { id?: string };
    const f = await mine.create({ ...graph, name: "out" }, "ann");
    await mine.publish(f.id, "ann");
    expect((await theirs.published(f.id)).version).toBe(1); // now in its memory
    await mine.publish(f.id, "bob");
    await expect.poll(async () => (await theirs.published(f.id)).version).toBe(2);
  });

  it("a password changed by one process clears the other's Basic cache", async () => {
    const [a, b] = await twoProcesses("users2");
    // Users are records, still on SQLite (issue 13): both read the same record service here.
    const { records } = memoryInstance();
    const system = { userName: "system", origin: "system" as const, originRemote: null };
    const sysId = String((await records.create("sys_user", { user_name: "casey" }, system)).sys_id);
    await a.write(() =>
      run(
        sql(`INSERT INTO record (sys_id, table_name, data, sys_created_on, sys_created_by, sys_updated_on,
               sys_updated_by) VALUES (?, 'sys_user', ?, '', '', '', '')`),
        sysId,
        JSON.stringify({ user_name: "casey" }),
      ),
    );
    const [mine, theirs] = [new UserDirectory(a, records), new UserDirectory(b, records)];
    await mine.setPassword(sysId, "first!");
    expect((await theirs.verify("casey", "first!"))?.sysId).toBe(sysId); // cached there now
    await mine.setPassword(sysId, "second!");
    await expect.poll(() => theirs.verify("casey", "first!"), { timeout: 5_000 }).toBeNull();
    expect((await theirs.verify("casey", "second!"))?.sysId).toBe(sysId);
  });

  const outboundInput = (remoteSystemId: string, record: string) => ({
    processEvent: "e",
    remoteSystemId,
    captureDefinitionId: null,
    flowBindingId: "b",
    operation: "update",
    tableName: "incident",
    recordSysId: record,
    payload: { record },
    domain: "global",
  });
  /** `lanes` lanes of `perLane` rows, enqueued round robin (so lanes interleave in id order). */
  async function enqueueLanes(storage: Storage, remoteId: string, lanes: number, perLane: number) {
    for (let seq = 1; seq <= perLane; seq++)
      await storage.transaction(function* () {
        for (let lane = 0; lane < lanes; lane++) yield* enqueuePlan(outboundInput(remoteId, `L${lane}`));
      });
  }
  /** Every lane's rows started in lane order, each only after the one before it had finished. */
  function expectLaneOrder(events: string[], lanes: number, perLane: number) {
    for (let lane = 0; lane < lanes; lane++)
      for (let seq = 1; seq < perLane; seq++) {
        const finished = events.indexOf(`done L${lane}#${seq}`);
        const next = events.indexOf(`start L${lane}#${seq + 1}`);
        expect(finished, `L${lane}#${seq} finished`).toBeGreaterThanOrEqual(0);
        expect(next, `L${lane}#${seq + 1} started after L${lane}#${seq} finished`).toBeGreaterThan(finished);
      }
  }
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it("two processes claiming from one queue at once: no row claimed twice, every lane in order", async () => {
    const [a, b] = await twoProcesses("claims2");
    const lanes = 20;
    const perLane = 5;
    await enqueueLanes(a, "r", lanes, perLane);
    const claimedBy = new Map<number, string>();
    const events: string[] = [];
    const label = (row: OutboundRow) => `${row.record_sys_id}#${row.lane_seq}`;
    async function work(store: OutboundStore) {
      while (claimedBy.size < lanes * perLane || events.length < 2 * lanes * perLane) {
        const rows = await store.claim("r", Date.now(), 3);
        if (rows.length === 0) {
          await pause(5);
          continue;
        }
        for (const row of rows) {
          expect(claimedBy.get(row.id), `row ${row.id} claimed twice`).toBeUndefined();
          claimedBy.set(row.id, store.processId);
          events.push(`start ${label(row)}`);
        }
        await pause(Math.random() * 10);
        for (const row of rows) events.push(`done ${label(row)}`); // before its commit: the stricter order
        const written = await store.complete(
          rows.map((row) => ({
            id: row.id,
            kind: "processed" as const,
            executionId: null,
            flowVersion: 1,
            durationMs: 1,
          })),
          Date.now(),
        );
        expect(written).toBe(rows.length);
      }
    }
    await Promise.all([
      work(new OutboundStore(a, { processId: "a" })),
      work(new OutboundStore(b, { processId: "b" })),
    ]);
    expect(claimedBy.size).toBe(lanes * perLane);
    expectLaneOrder(events, lanes, perLane);
    const share = [...claimedBy.values()].filter((p) => p === "a").length;
    expect(share).toBeGreaterThan(0);
    expect(share).toBeLessThan(lanes * perLane);
    const statuses = await a.read(
      all(
        sql<{ status: string; n: number }>(
          "SELECT status, count(*) AS n FROM outbound_queue GROUP BY status",
        ),
      ),
    );
    expect(statuses).toEqual([{ status: "processed", n: lanes * perLane }]);
  });

  it("two processes' outbound workers: a commit in one wakes the other, lanes spread and stay in order", async () => {
    const [a, b] = await twoProcesses("workers2");
    const [configA, configB] = [
      new SyncConfig(a, SecretBox.forTests()),
      new SyncConfig(b, SecretBox.forTests()),
    ];
    await Promise.all([configA.load(), configB.load()]);
    const remote = await configA.createRemote({ name: "beta", baseUrl: "http://localhost:3001" });
    await configA.setRemoteState(remote.id, { outbound: "active", inbound: "active", message: "ok" });
    await expect.poll(() => configB.snapshot().remotesById.get(remote.id)?.outboundState).toBe("active");
    const events: string[] = [];
    const ranBy = new Map<number, string[]>();
    const worker = (storage: PgStorage, config: SyncConfig, name: string) =>
      new OutboundWorker({
        store: new OutboundStore(storage, { processId: name }),
        config,
        logger: createLogger("test", "silent"),
        perRemote: 3,
        idleMs: 60_000, // no polling: only signals (and lanes opening) wake it
        run: async (row) => {
          ranBy.set(row.id, [...(ranBy.get(row.id) ?? []), name]);
          events.push(`start ${row.record_sys_id}#${row.lane_seq}`);
          await pause(Math.random() * 10);
          events.push(`done ${row.record_sys_id}#${row.lane_seq}`);
          return { kind: "processed", executionId: null, flowVersion: 1 };
        },
        onRemoteError: async () => {},
      });
    const [workerA, workerB] = [worker(a, configA, "a"), worker(b, configB, "b")];
    try {
      // b alone: a row committed by a reaches it through NOTIFY
      await workerB.start();
      const enqueuer = new OutboundEnqueuer(a);
      await a.transaction(() => enqueuer.enqueuePlan(outboundInput(remote.id, "first")));
      await expect.poll(() => ranBy.get(1), { timeout: 5_000 }).toEqual(["b"]);
      // both: 15 lanes of 4 rows
      await workerA.start();
      const lanes = 15;
      const perLane = 4;
      await enqueueLanes(a, remote.id, lanes, perLane);
      a.signals.notify("outbound"); // enqueueLanes writes the rows itself
      await expect
        .poll(() => [...ranBy.values()].reduce((n, runs) => n + runs.length, 0), { timeout: 20_000 })
        .toBe(1 + lanes * perLane);
      expect([...ranBy.values()].every((runs) => runs.length === 1)).toBe(true);
      expectLaneOrder(events, lanes, perLane);
      const byA = [...ranBy.values()].filter((runs) => runs[0] === "a").length;
      expect(byA).toBeGreaterThan(0);
      expect(byA).toBeLessThan(lanes * perLane + 1);
    } finally {
      await Promise.all([workerA.stop(), workerB.stop()]);
    }
    await expect
      .poll(async () =>
        (await a.read(all(sql<{ status: string }>("SELECT DISTINCT status FROM outbound_queue")))).map(
          (r) => r.status,
        ),
      )
      .toEqual(["processed"]);
  });

  it("the same batch accepted by two processes at once (a resend): each message stored once", async () => {
    const [a, b] = await twoProcesses("accept2");
    const batch = Array.from({ length: 30 }, (_, i) => ({
      id: `m${i}`,
      process_event: "e",
      operation: "update" as const,
      sender_correlation_id: `lane${i % 10}`,
      receiver_correlation_id: null,
      lane_sequence: Math.floor(i / 10) + 1,
      payload: { i },
    }));
    const [mine, theirs] = await Promise.all([
      new InboundAcceptor(a).accept("r", batch, "global"),
      new InboundAcceptor(b).accept("r", batch, "global"),
    ]);
    for (const [i, m] of batch.entries()) {
      const both = [mine[i], theirs[i]];
      expect(both.map((r) => r?.status).sort(), m.id).toEqual(["accepted", "duplicate"]);
      expect(both[0]?.sequence).toBe(both[1]?.sequence);
      expect(both[0]?.receiver_correlation_id).toBe(both[1]?.receiver_correlation_id);
    }
    const stored = await a.read(
      get(
        sql<{ n: number; d: number }>(
          "SELECT count(*) AS n, count(DISTINCT message_id) AS d FROM inbound_queue",
        ),
      ),
    );
    expect(stored).toEqual({ n: 30, d: 30 });
  });

  describe("DatabaseContentStore", () => {
    contentStoreContract(async () => {
      const storage = await freshPg();
      return {
        store: new DatabaseContentStore(storage),
        pieces: async () => Number((await storage.read(get(countContentRows)))?.n),
      };
    });
  });
});

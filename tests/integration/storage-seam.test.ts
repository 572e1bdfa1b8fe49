import { createHash } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { alertEvaluatorContract } from "../../server/alerts/alert-evaluator.contract";
import { contentStoreContract } from "../../server/attachments/content-store.contract";
import { DatabaseContentStore, promote } from "../../server/attachments/database-content-store";
import { authStoresContract } from "../../server/auth/auth-stores.contract";
import { openPostgres } from "../../server/db/postgres";
import { emailOutboxContract } from "../../server/email/email-outbox.contract";
import { flowStoreContract } from "../../server/flow-store/flow-store.contract";
import { idempotencyKeysContract } from "../../server/idempotency/idempotency-keys.contract";
import { queueGaugesContract } from "../../server/observability/queue-gauges.contract";
import { retentionContract } from "../../server/queue/retention.contract";
import { executionWriterContract } from "../../server/runner/execution-writer.contract";
import { nodeStatsContract } from "../../server/stats/node-stats.contract";
import { all, get, run, type Storage, sql } from "../../server/storage";
import { PgStorage } from "../../server/storage/postgres";
import { storageContract } from "../../server/storage/storage.contract";
import { correlationStoreContract } from "../../server/sync/correlations.contract";
import { invitationStoreContract } from "../../server/sync/invitations.contract";
import { type RunningPostgres, startPostgres } from "../support/postgres";

// The storage seam (issue 13): every store on plans passes the same contract on a real
// PostgreSQL server, with the migrations of drizzle/pg, as it does on SQLite (each contract's
// SQLite run is a unit test beside the store, e.g. server/sync/correlations.test.ts).

const countContentRows = sql<{ n: number }>("SELECT count(*) AS n FROM attachment_content");

const contracts: Array<[string, (fresh: () => Promise<Storage>) => void]> = [
  ["PgStorage itself", storageContract],
  ["CorrelationStore", correlationStoreContract],
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

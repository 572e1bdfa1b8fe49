import { afterAll, afterEach, beforeAll, describe } from "vitest";
import { alertEvaluatorContract } from "../../server/alerts/alert-evaluator.contract";
import { openPostgres } from "../../server/db/postgres";
import { emailOutboxContract } from "../../server/email/email-outbox.contract";
import { idempotencyKeysContract } from "../../server/idempotency/idempotency-keys.contract";
import { queueGaugesContract } from "../../server/observability/queue-gauges.contract";
import { retentionContract } from "../../server/queue/retention.contract";
import { nodeStatsContract } from "../../server/stats/node-stats.contract";
import type { Storage } from "../../server/storage";
import { PgStorage } from "../../server/storage/postgres";
import { freshSqliteStorage } from "../../server/testing/storage-fixtures";
import { type RunningPostgres, startPostgres } from "../support/postgres";

// The leaf stores on the storage seam (issue 13): idempotency keys, the email outbox, alerts, the
// live canvas's stats, the queue gauges and queue retention, the same tests on SQLite and on a
// real PostgreSQL server with the migrations of drizzle/pg (as tests/integration/storage-seam.test.ts
// does for the correlations).

const contracts: Array<[string, (fresh: () => Promise<Storage>) => void]> = [
  ["IdempotencyKeys", idempotencyKeysContract],
  ["email outbox", emailOutboxContract],
  ["AlertEvaluator", alertEvaluatorContract],
  ["node stats", nodeStatsContract],
  ["queue gauges", queueGaugesContract],
  ["queue retention", retentionContract],
];

for (const [name, contract] of contracts) {
  describe(`${name} on SQLite`, () => {
    contract(freshSqliteStorage);
  });
}

describe("on PostgreSQL", () => {
  let server: RunningPostgres;
  let databases = 0;
  const open: Storage[] = [];
  beforeAll(async () => {
    server = await startPostgres({ fsync: false }); // nothing here kills the server
  });
  afterEach(async () => {
    for (const storage of open.splice(0)) await storage.close();
  });
  afterAll(async () => {
    await server?.stop();
  });
  const fresh = async () => {
    databases += 1;
    const { pool } = await openPostgres(await server.createDatabase(`leaf${databases}`));
    const storage = new PgStorage(pool);
    open.push(storage);
    return storage;
  };
  for (const [name, contract] of contracts) {
    describe(name, () => {
      contract(fresh);
    });
  }
});

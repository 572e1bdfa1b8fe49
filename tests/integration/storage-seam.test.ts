import { afterAll, afterEach, beforeAll, describe } from "vitest";
import { authStoresContract } from "../../server/auth/auth-stores.contract";
import { openDatabase } from "../../server/db/client";
import { GroupCommit } from "../../server/db/group-commit";
import { openPostgres } from "../../server/db/postgres";
import type { Storage } from "../../server/storage";
import { PgStorage } from "../../server/storage/postgres";
import { SqliteStorage } from "../../server/storage/sqlite";
import { correlationStoreContract } from "../../server/sync/correlations.contract";
import { invitationStoreContract } from "../../server/sync/invitations.contract";
import { type RunningPostgres, startPostgres } from "../support/postgres";

// The storage seam (issue 13): one set of stores, the same tests, on SQLite and on a real
// PostgreSQL server with the migrations of drizzle/pg.

/** Every converted store's contract, on the storages `fresh` gives. */
function contracts(fresh: () => Promise<Storage>): void {
  describe("CorrelationStore", () => correlationStoreContract(fresh));
  describe("auth stores (sessions, credentials, throttle audit)", () => authStoresContract(fresh));
  describe("InvitationStore", () => invitationStoreContract(fresh));
}

const open: Storage[] = [];
afterEach(async () => {
  for (const storage of open.splice(0)) await storage.close();
});

describe("stores on SQLite", () => {
  contracts(async () => {
    const db = openDatabase({ file: ":memory:" });
    const storage = new SqliteStorage(db.$client, { group: new GroupCommit(db.$client) });
    open.push(storage);
    return storage;
  });
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

  contracts(async () => {
    databases += 1;
    const { pool } = await openPostgres(await server.createDatabase(`seam${databases}`));
    const storage = new PgStorage(pool);
    open.push(storage);
    return storage;
  });
});

import { afterEach, describe } from "vitest";
import { openDatabase } from "../db/client";
import { GroupCommit } from "../db/group-commit";
import { SqliteStorage } from "../storage/sqlite";
import { authStoresContract } from "./auth-stores.contract";

// The auth stores on SQLite, as an instance builds them: their writes share group commits.
const open: SqliteStorage[] = [];
afterEach(async () => {
  for (const storage of open.splice(0)) await storage.close();
});

describe("auth stores on SQLite", () => {
  authStoresContract(async () => {
    const db = openDatabase({ file: ":memory:" });
    const storage = new SqliteStorage(db.$client, { group: new GroupCommit(db.$client) });
    open.push(storage);
    return storage;
  });
});

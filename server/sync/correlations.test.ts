import { afterEach, describe } from "vitest";
import { openDatabase } from "../db/client";
import { GroupCommit } from "../db/group-commit";
import { SqliteStorage } from "../storage/sqlite";
import { correlationStoreContract } from "./correlations.contract";

// The correlation store on SQLite, as an instance builds it: its writes share group commits.
const open: SqliteStorage[] = [];
afterEach(async () => {
  for (const storage of open.splice(0)) await storage.close();
});

describe("CorrelationStore on SQLite", () => {
  correlationStoreContract(async () => {
    const db = openDatabase({ file: ":memory:" });
    const storage = new SqliteStorage(db.$client, { group: new GroupCommit(db.$client) });
    open.push(storage);
    return storage;
  });
});

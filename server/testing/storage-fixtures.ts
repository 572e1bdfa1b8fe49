import { afterEach } from "vitest";
import { openDatabase } from "../db/client";
import { GroupCommit } from "../db/group-commit";
import { SqliteStorage } from "../storage/sqlite";

// An empty, migrated SQLite instance database behind the storage seam, as an instance builds it
// (writes share group commits), for the stores' contract tests (issue 13). Closed after each test.
const open: SqliteStorage[] = [];
afterEach(async () => {
  for (const storage of open.splice(0)) await storage.close();
});

export async function freshSqliteStorage(): Promise<SqliteStorage> {
  const db = openDatabase({ file: ":memory:" });
  const storage = new SqliteStorage(db.$client, { group: new GroupCommit(db.$client) });
  open.push(storage);
  return storage;
}

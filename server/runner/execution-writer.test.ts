import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe } from "vitest";
import { openDatabase } from "../db/client";
import { GroupCommit } from "../db/group-commit";
import { SqliteStorage } from "../storage/sqlite";
import { freshSqliteStorage } from "../testing/storage-fixtures";
import { executionWriterContract } from "./execution-writer.contract";

describe("ExecutionWriter on SQLite", () => executionWriterContract(freshSqliteStorage));

// The same on a database file, as an instance keeps it.
const dirs: string[] = [];
const opened: SqliteStorage[] = [];
afterEach(async () => {
  for (const storage of opened.splice(0)) await storage.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

async function sqliteFileStorage(): Promise<SqliteStorage> {
  const dir = fs.mkdtempSync(
    path.join(process.env.TANDEM_TEST_DATA_ROOT ?? os.tmpdir(), "tandem-executions-"),
  );
  dirs.push(dir);
  const db = openDatabase({ file: path.join(dir, "instance.db") });
  const storage = new SqliteStorage(db.$client, { group: new GroupCommit(db.$client) });
  opened.push(storage);
  return storage;
}

describe("ExecutionWriter on a SQLite file", () => executionWriterContract(sqliteFileStorage));

import { UserDirectory } from "../auth/users";
import { openDatabase } from "../db/client";
import { RecordService } from "../records/record-service";
import type { Actor } from "../records/types";
import { SqliteStorage } from "../storage/sqlite";
import { builtInTables } from "../tables/definitions";
import { TableRegistry } from "../tables/registry";

/** An in-memory database with the built-in tables, for fast unit tests of server modules. */
export function memoryInstance() {
  const db = openDatabase({ file: ":memory:" });
  const storage = new SqliteStorage(db.$client);
  const registry = new TableRegistry(storage);
  registry.installSync(builtInTables);
  const records = new RecordService(storage, registry);
  const users = new UserDirectory(storage, records);
  return { db, registry, records, storage, users };
}

export const testActor: Actor = { userName: "tester", origin: "api" };

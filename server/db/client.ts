import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { type BetterSQLite3Database, drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import * as schema from "./schema";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export interface OpenOptions {
  /** Path of the SQLite file; ":memory:" for tests. */
  file: string;
  /** Where drizzle-kit wrote the migrations (defaults to ./drizzle under the working directory). */
  migrationsFolder?: string;
}

/**
 * Opens (creating if needed) an instance database and applies pending migrations.
 * WAL lets readers proceed while the single writer commits. synchronous=NORMAL keeps every
 * commit safe from a process crash (SIGKILL included) and the file consistent; commits that
 * promise durability to another system — the wire protocol's accept — go through `WalSync`
 * (wal-sync.ts), which also survives power loss without blocking the event loop on the fsync.
 */
export function openDatabase({ file, migrationsFolder }: OpenOptions): Db {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: migrationsFolder ?? path.resolve(process.cwd(), "drizzle") });
  return db as Db;
}

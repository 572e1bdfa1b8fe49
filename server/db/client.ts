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
  const folder = migrationsFolder ?? path.resolve(process.cwd(), "drizzle");
  try {
    refuseNewerSchema(sqlite, file, folder);
  } catch (error) {
    sqlite.close();
    throw error;
  }
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: folder });
  return db as Db;
}

/**
 * A database that a newer Tandem has migrated (after a downgrade, or a process of an older
 * version started on an upgraded database) is refused before anything runs on it: drizzle would
 * skip the migrations it does not know, and the code would then fail later on columns and tables
 * it does not expect, with errors that say nothing about versions.
 */
function refuseNewerSchema(sqlite: Database.Database, file: string, folder: string): void {
  const table = sqlite
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'")
    .get();
  if (!table) return;
  const applied = sqlite
    .prepare<[], { at: number | null }>("SELECT max(created_at) AS at FROM __drizzle_migrations")
    .get()?.at;
  const journal = JSON.parse(fs.readFileSync(path.join(folder, "meta", "_journal.json"), "utf8")) as {
    entries: Array<{ when: number; tag: string }>;
  };
  const newest = journal.entries.reduce((a, b) => (b.when > a.when ? b : a), { when: 0, tag: "none" });
  if (applied !== null && applied !== undefined && Number(applied) > newest.when) {
    throw new Error(
      `The database ${file} has a newer schema than this version of Tandem: it was migrated on ` +
        `${new Date(Number(applied)).toISOString()} by a newer version, and this code's newest migration is ` +
        `${newest.tag} (${new Date(newest.when).toISOString()}). Start the newer version of Tandem, or restore ` +
        "a backup taken before the upgrade.",
    );
  }
}

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../db/client";
import { GroupCommit } from "../db/group-commit";
import { all, get, sql } from "../storage";
import type { PgStorage } from "../storage/postgres";
import { SqliteStorage } from "../storage/sqlite";
import { FileContentStore } from "./content-store";
import { contentStoreContract } from "./content-store.contract";
import { contentStoreFor } from "./content-stores";
import { CONTENT_CHUNK_BYTES, DatabaseContentStore } from "./database-content-store";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function countFiles(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
}

const countContentRows = sql<{ n: number }>("SELECT count(*) AS n FROM attachment_content");

function sqliteStorage(): SqliteStorage {
  const db = openDatabase({ file: ":memory:" });
  const storage = new SqliteStorage(db.$client, { group: new GroupCommit(db.$client) });
  cleanups.push(() => storage.close());
  return storage;
}

describe("FileContentStore", () => {
  contentStoreContract(async () => {
    const dir = fs.mkdtempSync(
      path.join(process.env.TANDEM_TEST_DATA_ROOT ?? os.tmpdir(), "tandem-content-"),
    );
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    return { store: new FileContentStore(dir), pieces: async () => countFiles(dir) };
  });
});

describe("DatabaseContentStore on SQLite", () => {
  contentStoreContract(async () => {
    const storage = sqliteStorage();
    return {
      store: new DatabaseContentStore(storage),
      pieces: async () => Number((await storage.read(get(countContentRows)))?.n),
    };
  });
});

describe("DatabaseContentStore rows", () => {
  it("holds a file in 256 KiB chunks, complete under its hash and nothing staged", async () => {
    const storage = sqliteStorage();
    const store = new DatabaseContentStore(storage);
    const bytes = Buffer.alloc(Math.round(1.3 * 1024 * 1024), 7);
    const { hash } = await store.write(bytes, bytes.length);
    const rows = await storage.read(
      all(
        sql<{ hash: string; seq: number; size: number; staged_at: number | null }>(
          "SELECT hash, seq, length(bytes) AS size, staged_at FROM attachment_content ORDER BY seq",
        ),
      ),
    );
    expect(rows.map((r) => r.size)).toEqual([
      ...Array(5).fill(CONTENT_CHUNK_BYTES),
      bytes.length - 5 * CONTENT_CHUNK_BYTES,
    ]);
    expect(rows.every((r) => r.hash === hash && r.staged_at === null)).toBe(true);
    expect(rows.map((r) => r.seq)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe("contentStoreFor", () => {
  it("keeps files on SQLite and takes the database on PostgreSQL", () => {
    expect(contentStoreFor(sqliteStorage(), "/tmp/x")).toBeInstanceOf(FileContentStore);
    const pg = { dialect: "postgres" } as unknown as PgStorage;
    expect(contentStoreFor(pg, "/tmp/x")).toBeInstanceOf(DatabaseContentStore);
  });
});

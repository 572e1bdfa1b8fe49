import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import type Database from "better-sqlite3";
import { asc } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../server/db/client";
import { openPostgres } from "../../server/db/postgres";
import * as sqliteSchema from "../../server/db/schema";
import * as pgSchema from "../../server/db/schema-pg";
import { freePort } from "../support/instances";
import { type RunningPostgres, startPostgres } from "../support/postgres";

// An instance database on PostgreSQL (issue 13), on a real server: the pg migrations build the
// same tables as the SQLite ones, values come back as SQLite gives them, and a start that cannot
// work is refused with a message that says what to do.

let server: RunningPostgres;
let databases = 0;

beforeAll(async () => {
  // fsync off: nothing here kills the server
  server = await startPostgres({ fsync: false });
});

afterAll(async () => {
  await server?.stop();
});

async function freshDatabase(): Promise<string> {
  databases += 1;
  return server.createDatabase(`t${databases}`);
}

async function query<R extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

interface TableShape {
  columns: Array<{ name: string; type: string; notNull: boolean; hasDefault: boolean }>;
  primaryKey: string[];
  indexes: Array<{ name: string; unique: boolean; columns: string[] }>;
  foreignKeys: Array<{ columns: string[]; table: string; references: string[]; onDelete: string }>;
}

const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);
const SQLITE_TYPES: Record<string, string> = {
  integer: "bigint",
  text: "text",
  real: "double precision",
  blob: "bytea",
};

function sqliteShape(sqlite: Database.Database): Record<string, TableShape> {
  const tables = sqlite
    .prepare<[], { name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '__drizzle_migrations'",
    )
    .all();
  const shape: Record<string, TableShape> = {};
  for (const { name } of tables) {
    const info = sqlite
      .prepare<[], { name: string; type: string; notnull: number; dflt_value: string | null; pk: number }>(
        `PRAGMA table_xinfo("${name}")`, // xinfo: computed columns (lane_key) too
      )
      .all();
    const indexes = sqlite
      .prepare<[], { name: string; unique: number; origin: string }>(`PRAGMA index_list("${name}")`)
      .all()
      .filter((ix) => ix.origin !== "pk") // the primary key is compared on its own
      .map((ix) => ({
        name: ix.name,
        unique: ix.unique === 1,
        columns: sqlite
          .prepare<[], { name: string; seqno: number }>(`PRAGMA index_info("${ix.name}")`)
          .all()
          .sort((a, b) => a.seqno - b.seqno)
          .map((c) => c.name),
      }));
    const fks = sqlite
      .prepare<[], { id: number; seq: number; table: string; from: string; to: string; on_delete: string }>(
        `PRAGMA foreign_key_list("${name}")`,
      )
      .all();
    const fkIds = [...new Set(fks.map((f) => f.id))];
    shape[name] = {
      columns: info
        .map((c) => ({
          name: c.name,
          type: SQLITE_TYPES[c.type.toLowerCase()] ?? c.type,
          notNull: c.notnull === 1,
          // AUTOINCREMENT is a default of its own: PostgreSQL's identity
          hasDefault: c.dflt_value !== null || (c.pk === 1 && /AUTOINCREMENT/i.test(createSql(sqlite, name))),
        }))
        .sort(byName),
      primaryKey: info
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name),
      indexes: indexes.sort(byName),
      foreignKeys: fkIds
        .map((id) => {
          const parts = fks.filter((f) => f.id === id).sort((a, b) => a.seq - b.seq);
          return {
            columns: parts.map((p) => p.from),
            table: parts[0]?.table ?? "",
            references: parts.map((p) => p.to),
            onDelete: (parts[0]?.on_delete ?? "").toLowerCase(),
          };
        })
        .sort((a, b) => a.columns.join().localeCompare(b.columns.join())),
    };
  }
  return shape;
}

function createSql(sqlite: Database.Database, table: string): string {
  return (
    sqlite.prepare<[string], { sql: string }>("SELECT sql FROM sqlite_master WHERE name = ?").get(table)
      ?.sql ?? ""
  );
}

const ON_DELETE: Record<string, string> = {
  a: "no action",
  r: "restrict",
  c: "cascade",
  n: "set null",
  d: "set default",
};

async function pgShape(url: string): Promise<Record<string, TableShape>> {
  const columns = await query<{
    table: string;
    name: string;
    type: string;
    nullable: string;
    dflt: string | null;
    identity: string;
  }>(
    url,
    `SELECT table_name AS table, column_name AS name, data_type AS type, is_nullable AS nullable,
            column_default AS dflt, is_identity AS identity
       FROM information_schema.columns WHERE table_schema = 'public'`,
  );
  const indexes = await query<{
    table: string;
    name: string;
    unique: boolean;
    primary: boolean;
    columns: string[];
  }>(
    url,
    `SELECT t.relname AS table, i.relname AS name, ix.indisunique AS unique, ix.indisprimary AS primary,
            array(SELECT a.attname::text FROM unnest(ix.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
                  JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord) AS columns
       FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = 'public'`,
  );
  const fks = await query<{
    table: string;
    ref: string;
    ondelete: string;
    columns: string[];
    references: string[];
  }>(
    url,
    `SELECT c.conrelid::regclass::text AS table, c.confrelid::regclass::text AS ref, c.confdeltype AS ondelete,
            array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, o)
                  JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o) AS columns,
            array(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, o)
                  JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o) AS references
       FROM pg_constraint c WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace`,
  );
  const shape: Record<string, TableShape> = {};
  const of = (table: string) => {
    shape[table] ??= { columns: [], primaryKey: [], indexes: [], foreignKeys: [] };
    return shape[table];
  };
  for (const c of columns) {
    of(c.table).columns.push({
      name: c.name,
      type: c.type,
      notNull: c.nullable === "NO",
      hasDefault: c.dflt !== null || c.identity === "YES",
    });
  }
  for (const ix of indexes) {
    if (ix.primary) of(ix.table).primaryKey = ix.columns;
    else of(ix.table).indexes.push({ name: ix.name, unique: ix.unique, columns: ix.columns });
  }
  for (const fk of fks) {
    of(fk.table).foreignKeys.push({
      columns: fk.columns,
      table: fk.ref,
      references: fk.references,
      onDelete: ON_DELETE[fk.ondelete] ?? fk.ondelete,
    });
  }
  for (const table of Object.values(shape)) {
    table.columns.sort(byName);
    table.indexes.sort(byName);
    table.foreignKeys.sort((a, b) => a.columns.join().localeCompare(b.columns.join()));
  }
  return shape;
}

/** Tables, columns and the migrations table, to prove that a refused start changed nothing. */
async function fingerprint(url: string): Promise<string> {
  const rows = await query(
    url,
    `SELECT (SELECT json_agg(x ORDER BY x) FROM (SELECT table_schema || '.' || table_name || '.' || column_name AS x
               FROM information_schema.columns WHERE table_schema IN ('public', 'drizzle')) s) AS columns,
            (SELECT json_agg(m ORDER BY m.id) FROM drizzle.__drizzle_migrations m) AS migrations`,
  );
  return JSON.stringify(rows);
}

const pgJournal = JSON.parse(fs.readFileSync(path.resolve("drizzle/pg/meta/_journal.json"), "utf8")) as {
  entries: Array<{ when: number; tag: string }>;
};

describe("PostgreSQL migrations", () => {
  it("apply to an empty database, and applying them again changes nothing", async () => {
    const url = await freshDatabase();
    const first = await openPostgres(url);
    await first.pool.end();
    const migrations = await query<{ hash: string }>(url, "SELECT hash FROM drizzle.__drizzle_migrations");
    expect(migrations).toHaveLength(pgJournal.entries.length);
    const before = await fingerprint(url);

    const again = await openPostgres(url);
    await again.pool.end();
    expect(await fingerprint(url)).toBe(before);
  });

  it("build the same tables, columns, keys and indexes as the SQLite migrations", async () => {
    const url = await freshDatabase();
    const { pool } = await openPostgres(url);
    await pool.end();
    const sqlite = openDatabase({ file: ":memory:" });
    try {
      const expected = sqliteShape(sqlite.$client);
      expect(Object.keys(expected).length).toBeGreaterThan(20);
      expect(await pgShape(url)).toEqual(expected);
    } finally {
      sqlite.$client.close();
    }
  });
});

describe("values on both dialects", () => {
  it("come back identical through the same drizzle queries, and are stored identically", async () => {
    const url = await freshDatabase();
    const { db: pgDb, pool } = await openPostgres(url);
    const sqliteDb = openDatabase({ file: ":memory:" });
    try {
      const late = 2 ** 31 * 1000 + 123; // epoch ms far past int4
      const rows = [
        {
          messageId: "m-1",
          remoteSystemId: "rs-1",
          processEvent: "Hardware",
          operation: "insert",
          localCorrelationId: null,
          remoteCorrelationId: "c-1",
          laneSeq: 1,
          payload: JSON.stringify({ short_description: "ünïcode ✓", nested: { n: 1.5 } }),
          retryHistory: [{ at: late, outcome: "retry" as const, error: "timeout" }],
          receivedAt: late,
          processingMs: null,
        },
        // the defaults: status, attempts, next_attempt_at, retry_history, domain
        {
          messageId: "m-2",
          remoteSystemId: "rs-1",
          processEvent: "Hardware",
          operation: "update",
          remoteCorrelationId: "c-1",
          laneSeq: 2,
          payload: "{}",
          receivedAt: late + 1,
        },
      ];
      sqliteDb.insert(sqliteSchema.inboundQueue).values(rows).run();
      await pgDb.insert(pgSchema.inboundQueue).values(rows);
      const fromSqlite = sqliteDb
        .select()
        .from(sqliteSchema.inboundQueue)
        .orderBy(asc(sqliteSchema.inboundQueue.sequence))
        .all();
      const fromPg = await pgDb
        .select()
        .from(pgSchema.inboundQueue)
        .orderBy(asc(pgSchema.inboundQueue.sequence));
      expect(fromPg).toEqual(fromSqlite);
      expect(fromPg.map((r) => r.laneKey)).toEqual(["rs-1:c-1", "rs-1:c-1"]); // computed from remote and correlation
      expect(fromPg[0]?.receivedAt).toBe(late);
      expect(fromPg[0]?.retryHistory).toEqual(rows[0]?.retryHistory);
      expect(fromPg[1]).toMatchObject({ status: "ready", attempts: 0, retryHistory: [], domain: "global" });

      // Stored as SQLite stores them: JSON as text, epoch ms as integers (int8 arrives as a string)
      const rawSqlite = sqliteDb.$client.prepare("SELECT * FROM inbound_queue ORDER BY sequence").all();
      const rawPg = (
        await query<Record<string, unknown>>(url, "SELECT * FROM inbound_queue ORDER BY sequence")
      ).map((row) =>
        Object.fromEntries(
          Object.entries(row).map(([k, v]) => [
            k,
            typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : v,
          ]),
        ),
      );
      expect(rawPg).toEqual(rawSqlite);

      // booleans (0/1 on both) and a default written in SQL
      const systems = [
        {
          id: "rs-1",
          name: "beta",
          baseUrl: "http://127.0.0.1:1",
          autoRecover: true,
          createdAt: late,
          updatedAt: late,
        },
        { id: "rs-2", name: "gamma", baseUrl: "http://127.0.0.1:2", createdAt: late, updatedAt: late },
      ];
      sqliteDb.insert(sqliteSchema.remoteSystem).values(systems).run();
      await pgDb.insert(pgSchema.remoteSystem).values(systems);
      const sqliteSystems = sqliteDb
        .select()
        .from(sqliteSchema.remoteSystem)
        .orderBy(sqliteSchema.remoteSystem.id)
        .all();
      const pgSystems = await pgDb.select().from(pgSchema.remoteSystem).orderBy(pgSchema.remoteSystem.id);
      expect(pgSystems).toEqual(sqliteSystems);
      expect(pgSystems.map((s) => s.autoRecover)).toEqual([true, false]);

      const before = Math.floor(Date.now() / 1000) * 1000;
      sqliteDb.insert(sqliteSchema.instanceSetting).values({ key: "k", value: "v" }).run();
      await pgDb.insert(pgSchema.instanceSetting).values({ key: "k", value: "v" });
      const after = Date.now();
      for (const setting of [
        sqliteDb.select().from(sqliteSchema.instanceSetting).all()[0],
        (await pgDb.select().from(pgSchema.instanceSetting))[0],
      ]) {
        expect(setting?.updatedAt).toBeGreaterThanOrEqual(before);
        expect(setting?.updatedAt).toBeLessThanOrEqual(after);
        expect((setting?.updatedAt ?? 1) % 1000).toBe(0); // whole seconds on both
      }
    } finally {
      await pool.end();
      sqliteDb.$client.close();
    }
  });
});

describe("openPostgres refuses to start", () => {
  it("when nothing listens at the URL", async () => {
    const port = await freePort();
    const url = `postgresql://postgres:s3cret-pass@127.0.0.1:${port}/tandem`;
    const error = await openPostgres(url).catch((e: Error) => e);
    expect(String(error)).toMatch(
      new RegExp(`Cannot reach the PostgreSQL server at 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`),
    );
    expect(String(error)).not.toContain("s3cret-pass");
    // .invalid never resolves; a resolver without network may time out instead of saying so
    const unknown = await openPostgres("postgresql://postgres:s3cret-pass@no-such-host.invalid/tandem", {
      connectTimeoutMs: 3000,
    }).catch((e: Error) => e);
    expect(String(unknown)).toMatch(
      /Cannot reach the PostgreSQL server at no-such-host\.invalid:5432 \((ENOTFOUND|EAI_AGAIN|.*timeout.*)\)/,
    );
  });

  it("when the server does not answer in time", async () => {
    const silent = net.createServer(() => {}); // accepts, never speaks
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as net.AddressInfo;
    try {
      const error = await openPostgres(`postgresql://postgres:x@127.0.0.1:${port}/tandem`, {
        connectTimeoutMs: 300,
      }).catch((e: Error) => e);
      expect(String(error)).toMatch(/Cannot reach the PostgreSQL server at 127\.0\.0\.1:\d+ .*timeout/);
    } finally {
      silent.close();
    }
  });

  it("with a wrong password, without printing it", async () => {
    const url = server.url().replace(server.password, "not-the-password-42");
    const error = await openPostgres(url).catch((e: Error) => e);
    expect(String(error)).toMatch(
      /PostgreSQL at 127\.0\.0\.1:\d+ refused the user postgres .*check TANDEM_DATABASE_URL's user and password/,
    );
    expect(String(error)).not.toContain("not-the-password-42");
    expect(String(error)).not.toContain(server.password);
  });

  it("on a database that does not exist", async () => {
    const error = await openPostgres(server.url("no_such_db")).catch((e: Error) => e);
    expect(String(error)).toMatch(
      /The database no_such_db does not exist on the PostgreSQL server at 127\.0\.0\.1/,
    );
    expect(String(error)).not.toContain(server.password);
  });

  it("on a database a newer version of Tandem has migrated, and leaves it as it was", async () => {
    const url = await freshDatabase();
    const { pool } = await openPostgres(url);
    await pool.end();
    const newest = Math.max(...pgJournal.entries.map((e) => e.when));
    await query(
      url,
      "INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ('from-a-newer-version', $1)",
      [newest + 86_400_000],
    );
    const before = await fingerprint(url);
    const error = await openPostgres(url).catch((e: Error) => e);
    expect(String(error)).toMatch(
      /The PostgreSQL database t\d+ at 127\.0\.0\.1:\d+ has a newer schema than this version of Tandem: .* Start the newer version of Tandem, or restore a backup/,
    );
    expect(await fingerprint(url)).toBe(before);
  });
});

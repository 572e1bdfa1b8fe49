import fs from "node:fs";
import path from "node:path";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import * as schema from "./schema-pg";

// An instance database on PostgreSQL (issue 13): connect, refuse what cannot work with a message
// that says what to do, apply the migrations of drizzle/pg. The storage layer on top comes later.

export type PgDb = NodePgDatabase<typeof schema> & { $client: pg.Pool };

export interface OpenPostgresOptions {
  /** Where drizzle-kit wrote the pg migrations (defaults to ./drizzle/pg under the working directory). */
  migrationsFolder?: string;
  /** How long to wait for the server before giving up (default 10 s). */
  connectTimeoutMs?: number;
}

/** The parts of the URL that may appear in a message: never the password. */
interface Target {
  host: string;
  port: string;
  user: string;
  database: string;
  secrets: string[];
}

function targetOf(url: string): Target {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(
      "TANDEM_DATABASE_URL is not a URL: write it as postgresql://user:password@host:port/database.",
    );
  }
  if (parsed.protocol !== "postgresql:" && parsed.protocol !== "postgres:") {
    throw new Error(
      `TANDEM_DATABASE_URL starts with ${parsed.protocol} instead of postgresql: write it as postgresql://user:password@host:port/database.`,
    );
  }
  const user = decodeURIComponent(parsed.username) || "postgres";
  return {
    // ?host= is how a socket folder is given (postgresql:///db?host=/run/postgresql)
    host: parsed.searchParams.get("host") || parsed.hostname || "localhost",
    port: parsed.port || "5432",
    user,
    database: decodeURIComponent(parsed.pathname.replace(/^\//, "")) || user,
    // a password of one or two characters would mangle every message it was cut out of
    secrets: [parsed.password, decodeURIComponent(parsed.password)].filter((s) => s.length > 2),
  };
}

// ENOENT: a socket folder (?host=/path) without a server's socket in it
const UNREACHABLE = new Set([
  "ENOENT",
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);

function codeOf(error: unknown): string | undefined {
  const e = error as { code?: string; errors?: Array<{ code?: string }> };
  // Node's happy-eyeballs connect reports an AggregateError whose parts carry the code
  return e?.code ?? e?.errors?.find((part) => part.code)?.code;
}

/** An error already phrased for the operator. */
class StartRefusal extends Error {}

/** A start failure in words that name what to do next. */
function explain(error: unknown, t: Target, doing = "open"): Error {
  const code = codeOf(error);
  const detail = error instanceof Error ? error.message : String(error);
  const server = `${t.host}:${t.port}`;
  let message: string;
  // only while connecting: later, a timeout is a statement's and ENOENT a missing migration file
  if (doing === "open" && ((code && UNREACHABLE.has(code)) || /timeout|timed out/i.test(detail))) {
    message =
      `Cannot reach the PostgreSQL server at ${server} (${code ?? detail}): check that it is running and ` +
      "that TANDEM_DATABASE_URL's host and port are right.";
  } else if (code === "28P01" || code === "28000") {
    message =
      `PostgreSQL at ${server} refused the user ${t.user} (${detail}): check TANDEM_DATABASE_URL's user and ` +
      "password, and that the server lets this user connect to this database (pg_hba.conf).";
  } else if (code === "3D000") {
    message =
      `The database ${t.database} does not exist on the PostgreSQL server at ${server}: create it ` +
      `(createdb ${t.database}, or CREATE DATABASE) or fix the database name in TANDEM_DATABASE_URL.`;
  } else {
    message = `Could not ${doing} the PostgreSQL database ${t.database} at ${server}: ${detail}`;
  }
  return new StartRefusal(scrub(message, t), { cause: error });
}

function scrub(message: string, t: Target): string {
  return t.secrets.reduce((m, secret) => m.split(secret).join("***"), message);
}

/**
 * A database that a newer Tandem has migrated is refused before anything runs on it, as
 * server/db/client.ts does for SQLite: drizzle would skip the migrations it does not know and
 * the code would fail later on columns it does not expect.
 */
async function refuseNewerSchema(client: pg.PoolClient, t: Target, folder: string): Promise<void> {
  const present = await client.query<{ present: boolean }>(
    "SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS present",
  );
  if (!present.rows[0]?.present) return;
  const applied = (
    await client.query<{ at: string | null }>(
      "SELECT max(created_at) AS at FROM drizzle.__drizzle_migrations",
    )
  ).rows[0]?.at;
  const journal = JSON.parse(fs.readFileSync(path.join(folder, "meta", "_journal.json"), "utf8")) as {
    entries: Array<{ when: number; tag: string }>;
  };
  const newest = journal.entries.reduce((a, b) => (b.when > a.when ? b : a), { when: 0, tag: "none" });
  if (applied !== null && applied !== undefined && Number(applied) > newest.when) {
    throw new StartRefusal(
      `The PostgreSQL database ${t.database} at ${t.host}:${t.port} has a newer schema than this version of ` +
        `Tandem: it was migrated on ${new Date(Number(applied)).toISOString()} by a newer version, and this ` +
        `code's newest migration is ${newest.tag} (${new Date(newest.when).toISOString()}). Start the newer ` +
        "version of Tandem, or restore a backup taken before the upgrade.",
    );
  }
}

// Processes starting together on one database take turns: drizzle's migrator does not lock.
const MIGRATION_LOCK = 7_340_013; // any constant; pg_advisory_lock keys are per database

/**
 * Connects to the PostgreSQL database at `url`, refuses a schema newer than this code, and applies
 * pending migrations. The caller owns the pool (`pool.end()` when done).
 */
export async function openPostgres(
  url: string,
  { migrationsFolder, connectTimeoutMs = 10_000 }: OpenPostgresOptions = {},
): Promise<{ db: PgDb; pool: pg.Pool }> {
  const target = targetOf(url);
  const folder = migrationsFolder ?? path.resolve(process.cwd(), "drizzle", "pg");
  const pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: connectTimeoutMs });
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    await pool.end().catch(() => {});
    throw explain(error, target);
  }
  let failed: Error | undefined;
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    try {
      await refuseNewerSchema(client, target, folder);
      await migrate(drizzle(client), { migrationsFolder: folder });
    } finally {
      // a broken connection drops the lock anyway; its error must not hide the first one
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => {});
    }
  } catch (error) {
    failed = error as Error;
  } finally {
    client.release(failed);
  }
  if (failed) {
    await pool.end().catch(() => {});
    throw failed instanceof StartRefusal ? failed : explain(failed, target, "migrate");
  }
  return { db: drizzle(pool, { schema }) as PgDb, pool };
}

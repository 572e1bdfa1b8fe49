import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { postgresBinDir, type RunningPostgres, startPostgres } from "./postgres";

// Which database the integration suites' instances run on (issue 13): SQLite files by default;
// with TANDEM_TEST_BACKEND=postgres (the "integration-pg" project) each instance gets a database of
// its own on one real PostgreSQL server started for the run (postgresGlobalSetup), keyed by its
// data folder so a restarted instance finds its data again, and a secret key kept in that folder.

export type TestBackend = "sqlite" | "postgres";

export function testBackend(): TestBackend {
  return process.env.TANDEM_TEST_BACKEND === "postgres" ? "postgres" : "sqlite";
}

/** The run's server, as `postgresql://user:password@host:port` (no database). */
function serverUrl(): string {
  const url = process.env.TANDEM_TEST_PG_SERVER;
  if (!url)
    throw new Error("TANDEM_TEST_BACKEND=postgres needs the run's server: run the integration-pg project");
  return url;
}

/** Global setup of the PostgreSQL projects: one server for the whole run, stopped at its end. */
export async function postgresGlobalSetup(): Promise<() => Promise<void>> {
  const server: RunningPostgres = await startPostgres({ fsync: false }); // the server itself is never killed
  process.env.TANDEM_TEST_PG_SERVER = server.url("").replace(/\/$/, "");
  return () => server.stop();
}

/** Creates database `name` on the run's server unless it exists; its URL. */
export async function testDatabase(name: string): Promise<string> {
  const client = new pg.Client({ connectionString: `${serverUrl()}/postgres` });
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  return `${serverUrl()}/${name}`;
}

/** A secret key kept in `dir`, made once: every process given the same `dir` shares it. */
export function testSecretKey(dir: string): string {
  const file = path.join(dir, "test-secret-key");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString("hex"), { flag: "wx" });
  }
  return fs.readFileSync(file, "utf8").trim();
}

/**
 * The variables that put an instance with data folder `dataDir` on the test backend: none on
 * SQLite; on PostgreSQL its own database (named after the folder) and its secret key.
 */
export async function backendEnv(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<Record<string, string>> {
  if (testBackend() !== "postgres" || env.TANDEM_DATABASE_URL) return {};
  const name = `t_${createHash("sha256").update(path.resolve(dataDir)).digest("hex").slice(0, 16)}`;
  return { TANDEM_DATABASE_URL: await testDatabase(name), TANDEM_SECRET_KEY: testSecretKey(dataDir) };
}

/** `?` → a quoted literal: test support only, with values the tests themselves chose. */
function literal(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  if (typeof value === "boolean") return value ? "1" : "0";
  return `'${String(value).replaceAll("'", "''")}'`;
}

/**
 * Rows of `sql` on a PostgreSQL database, synchronously (psql), as the SQLite look-ups of the
 * test helpers are: numbers stay numbers (json_agg), as the instance's own int8 parser makes them.
 */
export function pgQuerySync<T>(url: string, sql: string, params: readonly unknown[] = []): T[] {
  let i = 0;
  // the test suites' SQLite JSON look-ups, in PostgreSQL's words
  const text = sql
    .replace(/json_extract\((\w+(?:\.\w+)?), '\$\.(\w+)'\)/g, "($1::jsonb ->> '$2')")
    .replace(/\?/g, () => literal(params[i++]));
  const out = execFileSync(
    path.join(postgresBinDir(), "psql"),
    [
      "-X",
      "-q",
      "-At",
      "-v",
      "ON_ERROR_STOP=1",
      "-d",
      url,
      "-c",
      `SELECT coalesce(json_agg(q), '[]') FROM (${text}) q`,
    ],
    { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
  );
  return JSON.parse(out) as T[];
}

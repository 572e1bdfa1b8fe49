import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { startClusterPair } from "../tests/support/cluster";
import { type PairMember, query, startPair } from "../tests/support/pair";
import { postgresBinDir, type RunningPostgres, startPostgres } from "../tests/support/postgres";

// What bench/sync.ts runs Tandem on: a demo pair seen through one shape, whether it is two
// processes on SQLite files (tests/support/pair.ts) or two instances of N processes each on one
// PostgreSQL server behind round-robin balancers (tests/support/cluster.ts, issue 13).

export interface BenchPair {
  /** For the pair helpers' tRPC calls and look-ups (a cluster's first process). */
  alpha: PairMember;
  beta: PairMember;
  /** Where the Table API creates go: alpha itself, or the balancer of alpha's processes. */
  writeUrl: string;
  /** alpha's remote base URL: beta itself, or the balancer of beta's processes. */
  betaUrl: string;
  /** Rows of `sql` (SQLite's words, `?` parameters) on one side's database. */
  q<T>(side: "alpha" | "beta", sql: string, ...params: unknown[]): Promise<T[]>;
  /** CPU seconds used so far by every process serving the pair (and its database server). */
  cpu(): number;
  /** Anything worth printing beside the run's figures. */
  note(): string;
  stop(): Promise<void>;
}

/**
 * CPU seconds a process used so far (user + system, from /proc); with `children`, plus those of
 * its children it has waited for. On a shared, loaded machine the CPU a record costs moves far
 * less than the wall-clock rate, so the bench prints it.
 */
export function cpuSeconds(pid: number | undefined, children = false): number {
  const fields = procStat(pid);
  if (!fields) return Number.NaN;
  // after "pid (comm) ": state ppid ...; utime, stime, cutime, cstime are fields 14-17 of stat(5)
  const ticks =
    Number(fields[11]) + Number(fields[12]) + (children ? Number(fields[13]) + Number(fields[14]) : 0);
  return ticks / 100; // clock ticks (USER_HZ = 100)
}

function procStat(pid: number | string | undefined): string[] | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/** The PostgreSQL server's CPU: the postmaster, its live backends and those that ended. */
function postgresCpuSeconds(server: RunningPostgres): number {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(path.join(server.dir, "data", "postmaster.pid"), "utf8").split("\n")[0]);
  } catch {
    return Number.NaN;
  }
  let total = cpuSeconds(pid, true);
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = procStat(entry);
    if (fields && Number(fields[1]) === pid) total += cpuSeconds(Number(entry));
  }
  return total;
}

/** The SQLite pair of today's bench: one process per instance, each on its own file. */
export async function sqlitePair(extraEnv: Record<string, string> = {}): Promise<BenchPair> {
  const pair = await startPair({ TANDEM_LOG_LEVEL: "error", ...extraEnv });
  return {
    alpha: pair.alpha,
    beta: pair.beta,
    writeUrl: pair.alpha.inst.url,
    betaUrl: `http://127.0.0.1:${pair.beta.port}`,
    q: async (side, sql, ...params) => query(pair[side], sql, ...params),
    cpu: () => cpuSeconds(pair.alpha.inst.process.pid) + cpuSeconds(pair.beta.inst.process.pid),
    note: () => "",
    stop: () => pair.stop(),
  };
}

/** SQLite's JSON look-ups in PostgreSQL's words: json_extract(col, '$.a.b' or '$[1][5]'), tandem_payload(col). */
function pgText(sql: string): string {
  let i = 0;
  return sql
    .replace(/tandem_payload\((\w+(?:\.\w+)?)\)/g, "$1") // PostgreSQL keeps payloads as text
    .replace(/json_extract\((\w+(?:\.\w+)?), '\$([^']*)'\)/g, (_, column: string, jsonPath: string) => {
      const keys = [...jsonPath.matchAll(/\.(\w+)|\[(\d+)\]/g)].map((m) => m[1] ?? m[2]);
      return `(${column}::jsonb #>> '{${keys.join(",")}}')`;
    })
    .replace(/\?/g, () => `$${++i}`);
}

/** Look-ups on a PostgreSQL database over one small pool (no psql spawned per poll on 2 cores). */
function pgLookup(url: string) {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  return {
    // json_agg: numbers stay numbers (bigint columns too), as the SQLite look-ups give them
    q: async <T>(sql: string, params: unknown[]): Promise<T[]> =>
      (await pool.query(`SELECT coalesce(json_agg(q), '[]') AS rows FROM (${pgText(sql)}) q`, params)).rows[0]
        .rows as T[],
    close: () => pool.end(),
  };
}

/** alpha and beta with `processes` processes each on `server`, paired and validated. */
export async function clusterPair(processes: number, server: RunningPostgres): Promise<BenchPair> {
  const pair = await startClusterPair(processes, processes);
  const lookups = {
    alpha: pgLookup(pair.alpha.member.inst.databaseUrl ?? ""),
    beta: pgLookup(pair.beta.member.inst.databaseUrl ?? ""),
  };
  const tandemCpu = () =>
    [...pair.alpha.processes, ...pair.beta.processes].reduce((s, p) => s + cpuSeconds(p.process.pid), 0);
  return {
    alpha: pair.alpha.member,
    beta: pair.beta.member,
    writeUrl: pair.alpha.balancer.url,
    betaUrl: pair.beta.balancer.url,
    q: (side, sql, ...params) => lookups[side].q(sql, params),
    cpu: () => tandemCpu() + postgresCpuSeconds(server),
    note: () => {
      const spread = (c: typeof pair.alpha) =>
        c.ports.map((port) => c.balancer.counts().get(port) ?? 0).join("/");
      return `requests per process through the balancers: alpha ${spread(pair.alpha)}, beta ${spread(pair.beta)}`;
    },
    stop: async () => {
      await Promise.all([lookups.alpha.close(), lookups.beta.close()]);
      await pair.stop();
    },
  };
}

/**
 * One PostgreSQL server for `run` (fsync on: commits as durable as in production), stopped
 * afterwards, also when `run` fails; the instances started meanwhile get a database each on it
 * (tests/support/test-backend.ts). Without PostgreSQL's programs: one line saying so, no run.
 */
export async function withPostgres(run: (server: RunningPostgres) => Promise<void>): Promise<void> {
  try {
    postgresBinDir();
  } catch (error) {
    console.log(`\nPostgreSQL part skipped: ${(error as Error).message}`);
    return;
  }
  const server = await startPostgres({ fsync: true });
  const saved = { backend: process.env.TANDEM_TEST_BACKEND, url: process.env.TANDEM_TEST_PG_SERVER };
  process.env.TANDEM_TEST_BACKEND = "postgres";
  process.env.TANDEM_TEST_PG_SERVER = server.url("").replace(/\/$/, "");
  try {
    await run(server);
  } finally {
    restoreEnv("TANDEM_TEST_BACKEND", saved.backend);
    restoreEnv("TANDEM_TEST_PG_SERVER", saved.url);
    await server.stop();
  }
}

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

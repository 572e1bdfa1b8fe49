/**
 * Sync under load: `npm run bench -- sync-load` (needs `npm run build` first). Two real demo
 * instances (tests/support/pair.ts), incidents written through alpha's Table API with undici:
 *   1. steady: BENCH_RATE (1,000) records/s for BENCH_WARMUP_SECONDS (5), then on at the same rate for
 *      BENCH_STEADY_SECONDS (30), the part measured: a fresh process spends its first seconds
 *      compiling the server's hot paths (p50 of 60-140 ms there against ~20 after, measured per
 *      second), which is start-up, not steady state; the warm-up's own figures are printed too.
 *      Latency from alpha's 201
 *      to the committed record on beta (inbound_queue.finished_at), p50/p99/max, and the backlog
 *      (alpha's outbound rows not yet sent, beta's inbound rows not processed) sampled each second.
 *      At most BENCH_STEADY_IN_FLIGHT (256) writes are outstanding; the rate achieved is printed.
 *   2. backlog: BENCH_BACKLOG (20,000 by default; 100000 for the issue's figure, which takes
 *      longer than this part's ~6 minute budget here) incidents written with 32 writers while
 *      alpha's remote is paused, then Validate and Activate, and the drain: records/s, time, and
 *      each instance's peak RSS (VmHWM, VmRSS sampled every 500 ms) and its RSS once drained, against
 *      the 400 MB aim.
 *   3. profile: BENCH_PROFILE_BURST (3,000) incidents, both instances profiled
 *      (bench/_cpu-profile.cjs), the write phase and the drain apart; self time per record by
 *      category (bench/_cpu-attribution.ts), frames mapped through the server's source maps, and
 *      the time spent under each module of ours (inclusive).
 *   4. statements: the same burst on a fresh pair with every better-sqlite3 statement counted and
 *      timed (bench/_sql-probe.cjs) over the drain: statements per record and the costliest by
 *      SQL text on each side. Apart from the profile, since timing every call costs a little.
 * BENCH_LOAD_PARTS=steady,backlog,profile,statements picks parts. Figures, never assertions.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { payloadSysIdSql, registerPayloadSql } from "../server/queue/payload-codec";
import { type Pair, remoteState, startPair, trpc, waitFor } from "../tests/support/pair";
import { attribute, CATEGORIES, type CpuProfile } from "./_cpu-attribution";
import { incidentWriter, writers } from "./_incident-writer";
import { pct } from "./_percentile";
import { sourceMapResolver } from "./_source-frames";

const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const RATE = num("BENCH_RATE", 1000);
const STEADY_SECONDS = num("BENCH_STEADY_SECONDS", 30);
const WARMUP_SECONDS = num("BENCH_WARMUP_SECONDS", 5);
const STEADY_IN_FLIGHT = num("BENCH_STEADY_IN_FLIGHT", 256);
const BACKLOG = num("BENCH_BACKLOG", 20_000);
const PROFILE_BURST = num("BENCH_PROFILE_BURST", 3000);
const WRITERS = 32;
const PARTS = (process.env.BENCH_LOAD_PARTS ?? "steady,backlog,profile,statements").split(",");
const RSS_AIM_MB = 400;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;

/** Stops the pair and removes its data folders (a 100,000-record backlog leaves about a GB). */
async function stopAndRemove(pair: Pair): Promise<void> {
  await pair.stop();
  for (const member of [pair.alpha, pair.beta]) fs.rmSync(member.dataDir, { recursive: true, force: true });
}

/** A live read-only view of an instance's database (one connection, reused for each sample). */
function reader(member: Pair["alpha"]) {
  const db = new Database(`${member.dataDir}/tandem.db`, { readonly: true, fileMustExist: true });
  registerPayloadSql(db);
  const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  return { db, count, close: () => db.close() };
}

/** Pauses alpha's remote: a re-saved connection waits for Validate and Activate (as bench/sync.ts). */
async function pause(pair: Pair): Promise<string> {
  const remote = remoteState(pair.alpha);
  await trpc(pair.alpha, "syncConfig.updateRemote", {
    id: remote.id,
    data: { baseUrl: `http://127.0.0.1:${pair.beta.port}` },
  });
  return remote.id;
}

const DONE_ON_BETA =
  "SELECT count(*) AS n FROM inbound_queue WHERE status IN ('processed', 'error', 'skipped')";
const ERRORS_ON_BETA = "SELECT count(*) AS n FROM inbound_queue WHERE status = 'error'";
const OUT_BACKLOG = "SELECT count(*) AS n FROM outbound_queue WHERE status IN ('ready', 'processing')";
const IN_BACKLOG = "SELECT count(*) AS n FROM inbound_queue WHERE status IN ('ready', 'processing')";

/** Least-squares slope of ys against their index (per sample). */
function slope(ys: number[]): number {
  const n = ys.length;
  if (n < 2) return 0;
  const mx = (n - 1) / 2;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  ys.forEach((y, x) => {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  });
  return num / den;
}

// ---- 1. steady -------------------------------------------------------------------------------

async function steady() {
  const pair = await startPair({ TANDEM_LOG_LEVEL: "error" });
  const alpha = reader(pair.alpha);
  const beta = reader(pair.beta);
  try {
    const writer = await incidentWriter(pair, WRITERS);
    const acked = new Map<string, { sent: number; acked: number; warmup: boolean }>();
    const backlog: Array<{ out: number; in: number }> = [];
    const sampler = setInterval(
      () => backlog.push({ out: alpha.count(OUT_BACKLOG), in: beta.count(IN_BACKLOG) }),
      1000,
    );
    const seconds = WARMUP_SECONDS + STEADY_SECONDS;
    const total = RATE * seconds;
    const warmupCount = RATE * WARMUP_SECONDS;
    let inFlight = 0;
    let sent = 0;
    let skippedTicks = 0;
    const pending: Promise<void>[] = [];
    const t0 = performance.now();
    // Open loop in 10 ms ticks: each tick sends what is due, unless the in-flight cap is reached
    // (then the writers cannot keep the rate, and the achieved rate says so).
    while (performance.now() - t0 < seconds * 1000) {
      const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * RATE));
      while (sent < due && inFlight < STEADY_IN_FLIGHT) {
        const i = sent++;
        inFlight += 1;
        const start = Date.now();
        pending.push(
          writer.create(`Load steady ${i}`).then((sysId) => {
            inFlight -= 1;
            acked.set(sysId, { sent: start, acked: Date.now(), warmup: i < warmupCount });
          }),
        );
      }
      if (sent < due) skippedTicks += 1;
      await sleep(10);
    }
    const sendSeconds = (performance.now() - t0) / 1000;
    await Promise.all(pending);
    const ackSeconds = (performance.now() - t0) / 1000;
    await waitFor(() => beta.count(DONE_ON_BETA) >= sent, 300_000, "the steady run to reach beta");
    clearInterval(sampler);
    const finished = beta.db
      .prepare(
        `SELECT ${payloadSysIdSql()} AS sysId, finished_at AS f FROM inbound_queue WHERE status = 'processed'`,
      )
      .all() as Array<{ sysId: string; f: number }>;
    const fromAck: number[] = [];
    const fromSend: number[] = [];
    const warmupFromAck: number[] = [];
    for (const { sysId, f } of finished) {
      const a = acked.get(sysId);
      if (!a) continue;
      if (a.warmup) {
        warmupFromAck.push(f - a.acked);
        continue;
      }
      fromAck.push(f - a.acked);
      fromSend.push(f - a.sent);
    }
    await writer.close();
    return {
      sent,
      achieved: sent / sendSeconds,
      ackedRate: sent / ackSeconds,
      capped: skippedTicks,
      matched: fromAck.length,
      errors: beta.count(ERRORS_ON_BETA),
      fromAck,
      fromSend,
      warmupFromAck,
      backlog,
    };
  } finally {
    alpha.close();
    beta.close();
    await stopAndRemove(pair);
  }
}

function printSteady(r: Awaited<ReturnType<typeof steady>>) {
  console.log(
    `\n1. Steady ${RATE} records/s for ${STEADY_SECONDS} s, after ${WARMUP_SECONDS} s at the same rate to warm up (at most ${STEADY_IN_FLIGHT} writes in flight)`,
  );
  console.log(
    `   sent ${r.sent} creates: ${r.achieved.toFixed(0)}/s achieved (${r.ackedRate.toFixed(0)}/s counting until the last 201)` +
      (r.capped > 0 ? `; the in-flight cap held the writers back in ${r.capped} ticks of 10 ms` : ""),
  );
  const f = (xs: number[]) =>
    `p50 ${pct(xs, 50).toFixed(0)} ms, p99 ${pct(xs, 99).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms`;
  console.log(`   alpha's 201 -> committed on beta: ${f(r.fromAck)}   (aim: p99 <= 50 ms)`);
  console.log(`   request sent -> committed on beta: ${f(r.fromSend)}`);
  if (r.warmupFromAck.length > 0)
    console.log(
      `   the warm-up's first ${WARMUP_SECONDS} s (not counted above), 201 -> committed on beta: ${f(r.warmupFromAck)}`,
    );
  console.log(
    `   (${r.matched + r.warmupFromAck.length} of ${r.sent} matched on beta; ${r.errors} inbound errors)`,
  );
  const outs = r.backlog.map((b) => b.out);
  const ins = r.backlog.map((b) => b.in);
  const during = Math.min(WARMUP_SECONDS + STEADY_SECONDS, r.backlog.length);
  const grow = (xs: number[]) => slope(xs.slice(Math.min(WARMUP_SECONDS, during), during));
  console.log(`   backlog each second, alpha outbound not sent: ${outs.join(" ")}`);
  console.log(`   backlog each second, beta inbound not processed: ${ins.join(" ")}`);
  const verdict = (s: number) => (s > RATE * 0.01 ? "GREW" : "did not grow");
  console.log(
    `   backlog trend while writing: alpha ${grow(outs).toFixed(1)} rows/s (${verdict(grow(outs))}), beta ${grow(ins).toFixed(1)} rows/s (${verdict(grow(ins))}); grew = slope above 1% of the rate`,
  );
}

// ---- 2. backlog ------------------------------------------------------------------------------

function memoryKb(pid: number | undefined): { hwm: number; rss: number } {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const field = (name: string) =>
      Number(new RegExp(`^${name}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? Number.NaN);
    return { hwm: field("VmHWM"), rss: field("VmRSS") };
  } catch {
    return { hwm: Number.NaN, rss: Number.NaN };
  }
}

async function backlogDrain() {
  const pair = await startPair({ TANDEM_LOG_LEVEL: "error" });
  const beta = reader(pair.beta);
  const peak = { alpha: { hwm: 0, rss: 0 }, beta: { hwm: 0, rss: 0 } };
  const writeRss = { alpha: 0, beta: 0 };
  const drainRss = { alpha: 0, beta: 0 };
  const endRss = { alpha: 0, beta: 0 };
  let draining = false;
  const sample = () => {
    for (const name of ["alpha", "beta"] as const) {
      const m = memoryKb(pair[name].inst.process.pid);
      peak[name].hwm = Math.max(peak[name].hwm, m.hwm || 0);
      peak[name].rss = Math.max(peak[name].rss, m.rss || 0);
      const phase = draining ? drainRss : writeRss;
      phase[name] = Math.max(phase[name], m.rss || 0);
    }
  };
  const sampler = setInterval(sample, 500);
  try {
    const writer = await incidentWriter(pair, WRITERS);
    const remoteId = await pause(pair);
    const w0 = performance.now();
    let lastReport = w0;
    await writers(WRITERS, BACKLOG, async (i) => {
      await writer.create(`Load backlog ${i}`);
      if (performance.now() - lastReport > 30_000) {
        lastReport = performance.now();
        console.log(`   (writing: ${i} of ${BACKLOG} after ${((lastReport - w0) / 1000).toFixed(0)} s)`);
      }
    });
    const writeSeconds = (performance.now() - w0) / 1000;
    await writer.close();
    draining = true;
    const t0 = performance.now();
    await trpc(pair.alpha, "syncConfig.validateAndActivate", { id: remoteId });
    let lastCount = 0;
    await waitFor(
      () => {
        const n = beta.count(DONE_ON_BETA);
        if (performance.now() - lastReport > 30_000) {
          lastReport = performance.now();
          console.log(
            `   (draining: ${n} of ${BACKLOG} on beta after ${((lastReport - t0) / 1000).toFixed(0)} s)`,
          );
        }
        lastCount = n;
        return n >= BACKLOG;
      },
      1_800_000,
      "the backlog to drain",
    );
    const drainSeconds = (performance.now() - t0) / 1000;
    sample();
    for (const name of ["alpha", "beta"] as const) endRss[name] = memoryKb(pair[name].inst.process.pid).rss;
    return {
      writeSeconds,
      drainSeconds,
      drained: lastCount,
      errors: beta.count(ERRORS_ON_BETA),
      peak,
      writeRss,
      drainRss,
      endRss,
    };
  } finally {
    clearInterval(sampler);
    beta.close();
    await stopAndRemove(pair);
  }
}

function printBacklog(r: Awaited<ReturnType<typeof backlogDrain>>) {
  console.log(`\n2. Backlog of ${BACKLOG} incidents (alpha's remote paused, then Validate and Activate)`);
  console.log(
    `   written through the Table API with ${WRITERS} writers in ${r.writeSeconds.toFixed(0)} s (${(BACKLOG / r.writeSeconds).toFixed(0)}/s)`,
  );
  console.log(
    `   drained in ${r.drainSeconds.toFixed(1)} s: ${(BACKLOG / r.drainSeconds).toFixed(0)} records/s (${r.errors} inbound errors)`,
  );
  for (const name of ["alpha", "beta"] as const) {
    console.log(
      `   ${name}: peak RSS ${mb(r.peak[name].hwm)} (VmHWM, whole run); highest VmRSS sample while writing ${mb(r.writeRss[name])}, while draining ${mb(r.drainRss[name])}, at the end of the drain ${mb(r.endRss[name])}   (aim < ${RSS_AIM_MB} MB)`,
    );
  }
}

// ---- 3. profile ------------------------------------------------------------------------------

async function waitForProfiles(dir: string, count: number): Promise<string[]> {
  let files: string[] = [];
  await waitFor(
    () => {
      files = fs.readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
      return files.length >= count;
    },
    120_000,
    "the CPU profiles",
  );
  return files;
}

/**
 * A pair whose instances load `preload` (bench/_cpu-profile.cjs or _sql-probe.cjs, each toggled
 * by SIGUSR2 and writing into its own temporary folder), with `toggle` signalling both.
 */
async function probedPair(preloadFile: string, prefix: string) {
  const dir = fs.mkdtempSync(path.join(process.env.TANDEM_TEST_DATA_ROOT ?? os.tmpdir(), prefix));
  const preload = path.resolve("bench", preloadFile);
  const pair = await startPair({
    TANDEM_LOG_LEVEL: "error",
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${preload}`.trim(),
    BENCH_PROF_DIR: dir,
  });
  const toggle = () => {
    pair.alpha.inst.process.kill("SIGUSR2");
    pair.beta.inst.process.kill("SIGUSR2");
  };
  return { pair, dir, toggle };
}

async function profileBurst() {
  const { pair, dir: profDir, toggle } = await probedPair("_cpu-profile.cjs", "tandem-load-prof-");
  const beta = reader(pair.beta);
  try {
    const writer = await incidentWriter(pair, WRITERS);
    const remoteId = await pause(pair);
    await sleep(500); // let the re-save settle out of the profile
    toggle();
    await writers(WRITERS, PROFILE_BURST, (i) => writer.create(`Load profile ${i}`));
    toggle();
    await writer.close();
    const writeFiles = await waitForProfiles(profDir, 2);
    toggle();
    await trpc(pair.alpha, "syncConfig.validateAndActivate", { id: remoteId });
    await waitFor(
      () => beta.count(DONE_ON_BETA) >= PROFILE_BURST,
      600_000,
      "the profiled burst to reach beta",
    );
    toggle();
    const all = await waitForProfiles(profDir, 4);
    const syncFiles = all.filter((f) => !writeFiles.includes(f));
    const resolve = sourceMapResolver(process.cwd());
    const load = (name: string, files: string[]) => {
      const file = files.find((f) => f.startsWith(`${name}-`));
      if (!file) throw new Error(`no profile of ${name}`);
      return attribute(JSON.parse(fs.readFileSync(path.join(profDir, file), "utf8")) as CpuProfile, resolve);
    };
    return {
      alphaWrite: load("alpha", writeFiles),
      alphaSync: load("alpha", syncFiles),
      betaSync: load("beta", syncFiles),
      profDir,
    };
  } finally {
    beta.close();
    await stopAndRemove(pair);
  }
}

function printProfile(r: Awaited<ReturnType<typeof profileBurst>>) {
  console.log(
    `\n3. Where one record's CPU goes: ${PROFILE_BURST} incidents, µs of self time per record (sampled every ${process.env.BENCH_PROF_INTERVAL_US ?? 500} µs)`,
  );
  const cols = [
    ["alpha: Table API writes", r.alphaWrite],
    ["alpha: sync out", r.alphaSync],
    ["beta: sync in", r.betaSync],
  ] as const;
  const line = (label: string, cells: string[]) =>
    console.log(`   ${label.padEnd(14)}${cells.map((c) => c.padStart(26)).join("")}`);
  line(
    "",
    cols.map(([name]) => name),
  );
  const perRecord = (us: number) => (us / PROFILE_BURST).toFixed(0);
  for (const cat of CATEGORIES)
    line(
      cat,
      cols.map(([, a]) => perRecord(a.byCategory[cat])),
    );
  line(
    "busy",
    cols.map(([, a]) => perRecord(a.totalUs - a.byCategory.idle - a.byCategory.profiler)),
  );
  line(
    "wall sampled",
    cols.map(([, a]) => `${(a.totalUs / 1e6).toFixed(1)} s`),
  );
  for (const [name, a] of cols) {
    const under = [...a.underFile]
      .sort((x, y) => y[1] - x[1])
      .slice(0, 10)
      .map(([f, us]) => `${f} ${perRecord(us)}`)
      .join(", ");
    console.log(`   spent under, ${name} (µs/record, inclusive): ${under}`);
  }
  for (const [name, a] of cols) {
    const top = [...a.byFile]
      .filter(([f]) => f !== "((idle))")
      .sort((x, y) => y[1] - x[1])
      .slice(0, 8)
      .map(([f, us]) => `${f} ${perRecord(us)}`)
      .join(", ");
    console.log(`   top self time, ${name} (µs/record): ${top}`);
  }
  console.log(
    `   (busy = all but idle and the profiler's own stop; "(run)", "(get)" are better-sqlite3's native calls, counted by their callers above; profiles kept in ${r.profDir}; categories: bench/_cpu-attribution.ts)`,
  );
}

// ---- 4. statements -----------------------------------------------------------------------------

interface StatementFigure {
  sql: string;
  calls: number;
  us: number;
}

async function statementBurst() {
  const { pair, dir, toggle } = await probedPair("_sql-probe.cjs", "tandem-load-sql-");
  const beta = reader(pair.beta);
  try {
    const writer = await incidentWriter(pair, WRITERS);
    const remoteId = await pause(pair);
    await writers(WRITERS, PROFILE_BURST, (i) => writer.create(`Load statements ${i}`));
    await writer.close();
    toggle();
    await trpc(pair.alpha, "syncConfig.validateAndActivate", { id: remoteId });
    await waitFor(
      () => beta.count(DONE_ON_BETA) >= PROFILE_BURST,
      600_000,
      "the counted burst to reach beta",
    );
    await sleep(300); // the last outcomes and executions
    toggle();
    let files: string[] = [];
    await waitFor(
      () => {
        files = fs.readdirSync(dir).filter((f) => f.endsWith(".sql.json"));
        return files.length >= 2;
      },
      60_000,
      "the statement counts",
    );
    const load = (name: string): StatementFigure[] => {
      const file = files.find((f) => f.startsWith(`${name}-`));
      if (!file) throw new Error(`no statement counts of ${name}`);
      return JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as StatementFigure[];
    };
    return { alpha: load("alpha"), beta: load("beta") };
  } finally {
    beta.close();
    await stopAndRemove(pair);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function printStatements(r: Awaited<ReturnType<typeof statementBurst>>) {
  console.log(
    `\n4. SQLite statements per synced record: ${PROFILE_BURST} incidents released at once, counted over the drain (bench/_sql-probe.cjs)`,
  );
  const per = (n: number) => n / PROFILE_BURST;
  for (const [name, rows] of [
    ["alpha: sync out", r.alpha],
    ["beta: sync in", r.beta],
  ] as const) {
    const calls = rows.reduce((a, b) => a + b.calls, 0);
    const us = rows.reduce((a, b) => a + b.us, 0);
    console.log(
      `   ${name}: ${per(calls).toFixed(1)} statements, ${per(us).toFixed(0)} µs in SQLite per record (wall time of each call, probe included); the costliest:`,
    );
    for (const row of [...rows].sort((a, b) => b.us - a.us).slice(0, 12))
      console.log(
        `   ${per(row.calls).toFixed(2).padStart(7)} ×${per(row.us).toFixed(1).padStart(7)} µs  ${row.sql.length > 110 ? `${row.sql.slice(0, 107)}...` : row.sql}`,
      );
  }
}

console.log(
  `sync-load: parts ${PARTS.join(", ")}; steady ${RATE}/s for ${STEADY_SECONDS} s after a ${WARMUP_SECONDS} s warm-up, backlog ${BACKLOG}, profile burst ${PROFILE_BURST}; ${os.cpus().length} cores, load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
if (PARTS.includes("steady")) printSteady(await steady());
if (PARTS.includes("backlog")) printBacklog(await backlogDrain());
if (PARTS.includes("profile")) printProfile(await profileBurst());
if (PARTS.includes("statements")) printStatements(await statementBurst());

/**
 * Table API create throughput (issue 14: "Table API creates ≥ 0.5× a bare HTTP server").
 *
 * - bare baseline: node:http + one prepared better-sqlite3 insert into a file DB (WAL,
 *   synchronous=NORMAL), a child process (bench/_baseline-table-api.mjs);
 * - Tandem: POST /api/now/table/incident?sysparm_fields=sys_id on a real instance (scripts/server.mjs,
 *   TANDEM_SEED=demo), Basic auth admin:admin.
 *
 * Both get the same body, 32 writers over undici, a warm-up, then BENCH_CREATES creates; creates/s,
 * p50/p99 latency and the ratio are printed. Figures, never assertions (the machine is shared).
 */
import { fork } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Pool } from "undici";
import { freePort, startInstance } from "../tests/support/instances";
import { admin } from "../tests/support/pair";
import { pct } from "./_percentile";

const WRITERS = 32;
const CREATES = Number(process.env.BENCH_CREATES ?? 3_000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 300);

interface Figures {
  rate: number;
  p50: number;
  p99: number;
}

/** `total` creates from `WRITERS` concurrent writers; each create's round trip is timed. */
async function run(total: number, create: (i: number) => Promise<void>): Promise<Figures> {
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      while (next < total) {
        const i = next++;
        const start = performance.now();
        await create(i);
        latencies.push(performance.now() - start);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  return { rate: total / seconds, p50: pct(latencies, 50), p99: pct(latencies, 99) };
}

/** The same body for both sides: about the size of a real incident create. */
const body = (i: number, group: string) =>
  JSON.stringify({
    short_description: `Bench create ${i}`,
    assignment_group: group,
    description: "x".repeat(600),
  });

function poster(pool: Pool, headers: Record<string, string>, group: string) {
  return async (i: number) => {
    const res = await pool.request({
      path: "/api/now/table/incident?sysparm_fields=sys_id",
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: body(i, group),
    });
    const text = await res.body.text();
    if (res.statusCode !== 201) throw new Error(`create answered ${res.statusCode}: ${text.slice(0, 200)}`);
  };
}

async function baseline(): Promise<Figures> {
  const dir = fs.mkdtempSync(
    path.join(process.env.TANDEM_TEST_DATA_ROOT ?? os.tmpdir(), "tandem-bench-tableapi-"),
  );
  const port = await freePort();
  const child = fork(path.join("bench", "_baseline-table-api.mjs"), [
    path.join(dir, "bare.db"),
    String(port),
  ]);
  await new Promise((resolve) => child.once("message", resolve));
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: WRITERS });
  try {
    const create = poster(pool, {}, "hardware-group-sys-id-000000000000");
    await run(WARMUP, create);
    return await run(CREATES, create);
  } finally {
    await pool.close();
    child.send("stop");
    await new Promise((resolve) => child.once("exit", resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function tandem(): Promise<Figures> {
  const inst = await startInstance({ env: { TANDEM_SEED: "demo", TANDEM_LOG_LEVEL: "error" } });
  const pool = new Pool(inst.url, { connections: WRITERS });
  try {
    const groups = await pool.request({
      path: "/api/now/table/sys_user_group?sysparm_query=name=Hardware&sysparm_fields=sys_id",
      method: "GET",
      headers: { authorization: admin },
    });
    const found = (await groups.body.json()) as { result: Array<{ sys_id: string }> };
    const group = found.result[0]?.sys_id;
    if (!group) throw new Error("No Hardware group in the demo seed");
    const create = poster(pool, { authorization: admin }, group);
    await run(WARMUP, create);
    return await run(CREATES, create);
  } finally {
    await pool.close();
    await inst.stop();
    fs.rmSync(inst.dataDir, { recursive: true, force: true });
  }
}

const row = (label: string, ours: string, base: string, ratio: string) =>
  console.log(`${label.padEnd(24)}${ours.padStart(12)}${base.padStart(12)}${ratio.padStart(10)}`);

const base = await baseline();
const ours = await tandem();
console.log(`\nTable API creates: ${WRITERS} writers, ${WARMUP} warm-up + ${CREATES} measured each side`);
row("", "Tandem", "bare", "ratio");
row("creates/s", ours.rate.toFixed(0), base.rate.toFixed(0), `${(ours.rate / base.rate).toFixed(2)}x`);
row("p50 latency, ms", ours.p50.toFixed(1), base.p50.toFixed(1), `${(ours.p50 / base.p50).toFixed(1)}x`);
row("p99 latency, ms", ours.p99.toFixed(1), base.p99.toFixed(1), `${(ours.p99 / base.p99).toFixed(1)}x`);
console.log("Aim (issue 14): Table API creates/s at least 0.5x the bare server's.");

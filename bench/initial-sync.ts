/**
 * Initial sync (issue 17): how fast existing records go across, and what a job costs the live
 * changes made while it runs. Two real instances (tests/support/pair.ts, SQLite):
 *   1. BENCH_INITIAL_SYNC_RECORDS (100,000) incidents written on alpha that the live capture does
 *      not send (no assignment group);
 *   2. idle: BENCH_LIVE (40) single live changes one at a time, from the Table API's 201 on alpha
 *      to the committed record on beta (the inbound row's finished_at), before any job: the baseline;
 *   3. an initial sync of all of them (create mode) while a live change is made every 100 ms and
 *      timed the same way; the job's rate, the live changes' p50 / p99 against the idle ones
 *      (aim: p99 within 2× of the idle p99), each instance's peak RSS while the job ran.
 * Figures are printed, never asserted.
 */
import fs from "node:fs";
import { Pool } from "undici";
import { admin, type Pair, query, remoteState, startPair, trpc, waitFor } from "../tests/support/pair";
import { incidentWriter } from "./_incident-writer";
import { pct } from "./_percentile";

const RECORDS = Number(process.env.BENCH_INITIAL_SYNC_RECORDS ?? 100_000);
const LIVE = Number(process.env.BENCH_LIVE ?? 40);
const WRITERS = 16;

function rssMb(pid: number | undefined): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? Number.NaN) / 1024;
  } catch {
    return Number.NaN;
  }
}

/** Writes the records the job will bring across, with WRITERS parallel clients. */
async function seed(pair: Pair): Promise<number> {
  const pool = new Pool(pair.alpha.inst.url, { connections: WRITERS });
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      while (next < RECORDS) {
        const i = next++;
        const res = await pool.request({
          path: "/api/now/table/incident?sysparm_fields=sys_id",
          method: "POST",
          headers: { authorization: admin, "content-type": "application/json" },
          body: JSON.stringify({
            short_description: `Existing ${i}`,
            description: "x".repeat(600),
            urgency: "2",
          }),
        });
        await res.body.text();
        if (res.statusCode !== 201) throw new Error(`Table API answered ${res.statusCode}`);
      }
    }),
  );
  await pool.close();
  return RECORDS / ((performance.now() - t0) / 1000);
}

/** One live change: the ms from alpha's 201 to the record committed on beta. */
async function liveChange(
  pair: Pair,
  create: (d: string) => Promise<string>,
  label: string,
): Promise<number> {
  const since =
    query<{ s: number | null }>(pair.beta, "SELECT max(sequence) AS s FROM inbound_queue")[0]?.s ?? 0;
  await create(label);
  const acked = Date.now();
  let finished: number | undefined;
  await waitFor(
    () => {
      finished =
        query<{ f: number | null }>(
          pair.beta,
          `SELECT finished_at AS f FROM inbound_queue WHERE sequence > ? AND initial_sync_job_id IS NULL
           AND status = 'processed' LIMIT 1`,
          since,
        )[0]?.f ?? undefined;
      return finished !== undefined;
    },
    60_000,
    "a live change to reach beta",
  );
  return (finished ?? Number.NaN) - acked;
}

const pair = await startPair({ TANDEM_LOG_LEVEL: "error" });
try {
  const seedRate = await seed(pair);
  const writer = await incidentWriter(pair, 2);
  const idle: number[] = [];
  for (let i = 0; i < LIVE; i++) {
    idle.push(await liveChange(pair, writer.create, `Idle live ${i}`));
    await new Promise((r) => setTimeout(r, 20));
  }

  const definitionId =
    query<{ id: string }>(pair.alpha, "SELECT id FROM sync_definition LIMIT 1")[0]?.id ?? "";
  const rss = { alpha: 0, beta: 0 };
  const sampler = setInterval(() => {
    rss.alpha = Math.max(rss.alpha, rssMb(pair.alpha.inst.process.pid) || 0);
    rss.beta = Math.max(rss.beta, rssMb(pair.beta.inst.process.pid) || 0);
  }, 500);
  const t0 = performance.now();
  const { id } = await trpc<{ id: string }>(pair.alpha, "initialSync.start", {
    definitionId,
    remoteSystemId: remoteState(pair.alpha).id,
    condition: "short_descriptionSTARTSWITHExisting",
    mode: "create",
  });
  const status = () =>
    query<{ status: string }>(pair.alpha, "SELECT status FROM initial_sync_job WHERE id = ?", id)[0]?.status;
  const during: number[] = [];
  let i = 0;
  while (status() === "running") {
    during.push(await liveChange(pair, writer.create, `Live during job ${i++}`));
    await new Promise((r) => setTimeout(r, 100));
  }
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  await writer.close();
  const created =
    query<{ n: number }>(
      pair.beta,
      "SELECT count(*) AS n FROM initial_sync_outcome WHERE job_id = ? AND outcome = 'created'",
      id,
    )[0]?.n ?? 0;

  const ms = (x: number) => `${x.toFixed(1)} ms`;
  console.log(`\nInitial sync of ${RECORDS.toLocaleString()} incidents, alpha → beta (SQLite, create mode)`);
  console.log(
    `   seeding on alpha (Table API, ${WRITERS} writers): ${Math.round(seedRate).toLocaleString()} records/s`,
  );
  console.log(
    `   job: ${status()} in ${seconds.toFixed(1)} s, ${Math.round(RECORDS / seconds).toLocaleString()} records/s; ${created.toLocaleString()} created on beta`,
  );
  console.log(`   live change, idle (${idle.length}): p50 ${ms(pct(idle, 50))}, p99 ${ms(pct(idle, 99))}`);
  console.log(
    `   live change during the job (${during.length}): p50 ${ms(pct(during, 50))}, p90 ${ms(pct(during, 90))}, p99 ${ms(pct(during, 99))}` +
      ` — p99 ${(pct(during, 99) / pct(idle, 99)).toFixed(2)}× the idle p99 (aim ≤ 2×)`,
  );
  console.log(
    `   peak RSS while the job ran: alpha ${rss.alpha.toFixed(0)} MB, beta ${rss.beta.toFixed(0)} MB`,
  );
} finally {
  await pair.stop();
}

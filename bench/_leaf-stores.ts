// Per-call cost of the leaf stores on the storage seam (issue 13) on SQLite, on their hot paths:
// the idempotency key look-up and save of every inbound create, and the stats write of every
// execution batch. Before the seam's prepared statements (as the stores had them) against the
// same work as plans through runSync, inside a synchronous transaction as their callers run them.
// Not part of `npm run bench` (leading underscore): `npx tsx bench/_leaf-stores.ts`.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "../server/db/client";
import { IdempotencyKeys } from "../server/idempotency/idempotency-keys";
import { merge, pack, unpack } from "../server/stats/histogram";
import { NodeStatsWriter, type RunForStats, StatsBatch } from "../server/stats/node-stats-writer";
import { SqliteStorage } from "../server/storage/sqlite";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-leaf-"));
const db = openDatabase({ file: path.join(dir, "bench.db") });
const c = db.$client;
const storage = new SqliteStorage(c);
const N = 5_000;

// before: the records port's statements
const find = c.prepare<[string], { result: string }>("SELECT result FROM idempotency_key WHERE key = ?");
const save = c.prepare("INSERT OR IGNORE INTO idempotency_key (key, result, created_at) VALUES (?, ?, ?)");
c.transaction(() => {
  for (let i = 0; i < N; i++) save.run(`in:r:m${i}:create`, `{"sys_id":"s${i}"}`, Date.now());
})();
const keys = new IdempotencyKeys(storage);

// before: NodeStatsWriter's statements and loop
const histogram = c.prepare<unknown[], { histogram: string }>(
  `SELECT histogram FROM flow_node_stat
   WHERE flow_id = ? AND version = ? AND span = ? AND bucket = ? AND node_id = ? AND port = ?`,
);
const upsert = c.prepare(
  `INSERT INTO flow_node_stat (flow_id, version, span, bucket, node_id, port, runs, errors, histogram, last_error, last_error_at)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
   ON CONFLICT (flow_id, version, span, bucket, node_id, port) DO UPDATE SET
     runs = runs + excluded.runs,
     errors = errors + excluded.errors,
     histogram = excluded.histogram,
     last_error = CASE WHEN excluded.last_error_at >= coalesce(last_error_at, 0) THEN excluded.last_error ELSE last_error END,
     last_error_at = max(coalesce(last_error_at, 0), coalesce(excluded.last_error_at, 0))`,
);
function statsBefore(batch: StatsBatch): void {
  for (const cell of batch.cells()) {
    let h = "[]";
    if (cell.histogram) {
      const stored = histogram.get(cell.flowId, cell.version, cell.span, cell.bucket, cell.nodeId, cell.port);
      h = pack(stored ? merge(unpack(stored.histogram), cell.histogram) : cell.histogram);
    }
    upsert.run(
      cell.flowId,
      cell.version,
      cell.span,
      cell.bucket,
      cell.nodeId,
      cell.port,
      cell.runs,
      cell.errors,
      h,
      cell.lastError,
      cell.lastErrorAt,
    );
  }
}
const stats = new NodeStatsWriter(storage);
const now = Date.now();
const run = (i: number): RunForStats => ({
  flowId: `f${i % 4}`,
  version: 1,
  status: i % 10 === 0 ? "error" : "completed",
  startedAt: now - (i % 120) * 1000,
  error: i % 10 === 0 ? "bad" : null,
  errorNodeId: i % 10 === 0 ? "update" : null,
  steps: [
    { nodeId: "start", port: "next", durationMs: 0.2 },
    { nodeId: "map", port: "next", durationMs: 1 },
    { nodeId: "update", port: "next", durationMs: 4 },
  ],
});
const batch = new StatsBatch(); // 200 runs of 4 flows over 2 minutes: the cells of a busy batch
for (let i = 0; i < 200; i++) batch.add(run(i));

type Variant = { label: string; calls: number; fn: (i: number) => unknown };

/** Rounds of the variants interleaved (a busy machine disturbs them alike); median ns per call. */
function measure(variants: Variant[]): number[] {
  const rounds: number[][] = variants.map(() => []);
  for (let round = 0; round < 9; round++) {
    for (const [v, { calls, fn }] of variants.entries()) {
      const t0 = process.hrtime.bigint();
      c.transaction(() => {
        for (let i = 0; i < calls; i++) fn(i);
      })();
      rounds[v]?.push(Number(process.hrtime.bigint() - t0) / calls);
    }
  }
  return variants.map(({ label, calls }, v) => {
    const sorted = (rounds[v] ?? []).sort((x, y) => x - y);
    const median = sorted[4] ?? 0;
    console.log(`${label.padEnd(60)} ${median.toFixed(0).padStart(9)} ns/call (median of 9 × ${calls})`);
    return median;
  });
}

const pct = (x: number, base: number) =>
  `${x - base >= 0 ? "+" : ""}${(x - base).toFixed(0)} ns (${((x / base - 1) * 100).toFixed(1)} %)`;
const calls = 20_000;
const key = (i: number) => `in:r:m${i % N}:create`;
const [k1 = 0, k2 = 0] = measure([
  {
    label: "create's keys, before: find.get + save.run (a duplicate)",
    calls,
    fn: (i) => {
      find.get(key(i));
      save.run(key(i), "{}", Date.now());
    },
  },
  {
    label: "create's keys, plans via runSync: find + save",
    calls,
    fn: (i) => {
      keys.inSyncTransaction.find(key(i));
      keys.inSyncTransaction.save(key(i), "{}");
    },
  },
]);
const [s1 = 0, s2 = 0] = measure([
  {
    label: `stats batch (${batch.size} cells), before: prepared statements`,
    calls: 50,
    fn: () => statsBefore(batch),
  },
  { label: `stats batch (${batch.size} cells), plan via runSync`, calls: 50, fn: () => stats.write(batch) },
]);
console.log(`\nper create: ${pct(k2, k1)}; per stats batch: ${pct(s2, s1)}`);
await storage.close();
fs.rmSync(dir, { recursive: true, force: true });

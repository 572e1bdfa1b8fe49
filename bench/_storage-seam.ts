// Per-call cost of the storage seam (issue 13) on SQLite, for the correlation store: today's
// synchronous prepared statement against the same statement as a plan, run synchronously
// (runSync, inside a synchronous transaction) and as a promise (Storage.read / .transaction).
// Not part of `npm run bench` (leading underscore): `npx tsx bench/_storage-seam.ts`.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "../server/db/client";
import { SqliteStorage } from "../server/storage/sqlite";
import { correlationPlans } from "../server/sync/correlations";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-seam-"));
const db = openDatabase({ file: path.join(dir, "bench.db") });
const c = db.$client;
const storage = new SqliteStorage(c);
const N = 2_000;
c.prepare(
  "INSERT INTO remote_system (id, name, base_url, created_at, updated_at) VALUES ('r1', 'beta', 'http://x', 0, 0)",
).run();
const insert = c.prepare(
  "INSERT INTO correlation (local_id, remote_id, remote_system_id, table_name, record_sys_id, state, created_at) VALUES (?, NULL, 'r1', 'incident', ?, 'active', 0)",
);
c.transaction(() => {
  for (let i = 0; i < N; i++) insert.run(`L${i}`, `s${i}`);
})();

// today's store: the prepared statement and the row mapping, as server/sync/correlations.ts had them
const byRecord = c.prepare<[string, string, string], Record<string, unknown>>(
  `SELECT * FROM correlation WHERE remote_system_id = ? AND table_name = ? AND record_sys_id = ? AND state = 'active'
   LIMIT 1`,
);
const stale = c.prepare(
  "UPDATE correlation SET stale_fields_skipped = stale_fields_skipped + ? WHERE local_id = ?",
);
const map = (row: Record<string, unknown>) => ({
  localCorrelationId: row.local_id,
  remoteCorrelationId: row.remote_id,
  remoteSystem: row.remote_system_id,
  table: row.table_name,
  sysId: row.record_sys_id,
  state: row.state,
  staleFieldsSkipped: row.stale_fields_skipped,
  createdAt: row.created_at,
  lastSyncedAt: row.last_synced_at,
});

type Variant = { label: string; calls: number; fn: (i: number) => unknown };

/** Rounds of the variants interleaved (a busy machine disturbs them alike); median ns per call. */
async function measure(variants: Variant[]): Promise<number[]> {
  const rounds: number[][] = variants.map(() => []);
  for (let round = 0; round < 9; round++) {
    for (const [v, { calls, fn }] of variants.entries()) {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < calls; i++) {
        const r = fn(i);
        if (r instanceof Promise) await r;
      }
      rounds[v]?.push(Number(process.hrtime.bigint() - t0) / calls);
    }
  }
  return variants.map(({ label, calls }, v) => {
    const sorted = (rounds[v] ?? []).sort((x, y) => x - y);
    const median = sorted[4] ?? 0;
    console.log(`${label.padEnd(58)} ${median.toFixed(0).padStart(7)} ns/call (median of 9 × ${calls})`);
    return median;
  });
}

const reads = 50_000;
const key = (i: number) => `s${i % N}`;
const [a = 0, b = 0, d = 0] = await measure([
  {
    label: "read, today: prepared .get + map (sync)",
    calls: reads,
    fn: (i) => {
      const row = byRecord.get("r1", "incident", key(i));
      return row ? map(row) : null;
    },
  },
  {
    label: "read, plan via runSync (sync, as in capture)",
    calls: reads,
    fn: (i) => storage.runSync(correlationPlans.byRecord("r1", "incident", key(i))),
  },
  {
    label: "read, plan via await storage.read (async API)",
    calls: reads,
    fn: (i) => storage.read(correlationPlans.byRecord("r1", "incident", key(i))),
  },
]);
const writes = 10_000;
const [w1 = 0, w2 = 0] = await measure([
  {
    label: "write in a transaction, today: db.transaction(stmt.run)",
    calls: writes,
    fn: (i) => c.transaction(() => stale.run(1, `L${i % N}`))(),
  },
  {
    label: "write, await storage.transaction(plan)",
    calls: writes,
    fn: (i) => storage.transaction(() => correlationPlans.countStale(`L${i % N}`, 1)),
  },
]);
const pct = (x: number, base: number) =>
  `${x - base >= 0 ? "+" : ""}${(x - base).toFixed(0)} ns (${((x / base - 1) * 100).toFixed(1)} %)`;
console.log(
  `\noverhead per read: runSync ${pct(b, a)}, async read ${pct(d, a)}; per transaction: ${pct(w2, w1)}`,
);
await storage.close();
fs.rmSync(dir, { recursive: true, force: true });

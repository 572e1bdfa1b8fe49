/**
 * Storage per synced record (issue 14's aim: ≤ 2 KB beyond the record itself, on each side).
 * Two real instances (tests/support/pair.ts), N Hardware incidents written on alpha and synced
 * to beta; then, per side, the bytes each table (with its indexes) grew by per synced record,
 * from SQLite's dbstat. Run twice in the same conditions: with every journal kept whole (the
 * behaviour before journal sampling, as the baseline) and with the default sampling.
 * Figures are printed, never asserted. BENCH_STORAGE_RECORDS (default 5,000) sets N.
 */
import Database from "better-sqlite3";
import { Pool } from "undici";
import { admin, hardwareGroup, type PairMember, query, startPair, waitFor } from "../tests/support/pair";

const RECORDS = Number(process.env.BENCH_STORAGE_RECORDS ?? 5_000);
const WRITERS = 16;
const AIM = 2048;

type Sizes = Map<string, number>;

/** Bytes per table, its indexes counted with it (dbstat's pages, whole-page granularity). */
function tableSizes(member: PairMember): Sizes {
  const db = new Database(`${member.dataDir}/tandem.db`, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare(
        `SELECT coalesce(m.tbl_name, s.name) AS tbl, sum(s.pgsize) AS bytes FROM dbstat s
           LEFT JOIN sqlite_master m ON m.name = s.name GROUP BY tbl`,
      )
      .all() as Array<{ tbl: string; bytes: number }>;
    return new Map(rows.map((r) => [r.tbl, r.bytes]));
  } finally {
    db.close();
  }
}

async function run(env: Record<string, string>): Promise<Record<"alpha" | "beta", Map<string, number>>> {
  const pair = await startPair({ TANDEM_LOG_LEVEL: "error", ...env });
  try {
    const before = { alpha: tableSizes(pair.alpha), beta: tableSizes(pair.beta) };
    const group = await hardwareGroup(pair.alpha);
    const pool = new Pool(pair.alpha.inst.url, { connections: WRITERS });
    let next = 0;
    await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        while (next < RECORDS) {
          const i = next++;
          const res = await pool.request({
            path: "/api/now/table/incident?sysparm_fields=sys_id",
            method: "POST",
            headers: { authorization: admin, "content-type": "application/json" },
            body: JSON.stringify({ short_description: `Storage bench ${i}`, assignment_group: group }),
          });
          await res.body.text();
          if (res.statusCode !== 201) throw new Error(`Table API answered ${res.statusCode}`);
        }
      }),
    );
    await pool.close();
    const processed = () =>
      query<{ n: number }>(pair.beta, "SELECT count(*) AS n FROM inbound_queue WHERE status = 'processed'")[0]
        ?.n ?? 0;
    await waitFor(() => processed() >= RECORDS, 900_000, "the records to reach beta");
    // Let the execution writers and the outbound acks settle before measuring.
    await new Promise((r) => setTimeout(r, 3_000));
    const grown = (m: PairMember, b: Sizes) => {
      const after = tableSizes(m);
      const out = new Map<string, number>();
      for (const [t, bytes] of after) out.set(t, (bytes - (b.get(t) ?? 0)) / RECORDS);
      return out;
    };
    return { alpha: grown(pair.alpha, before.alpha), beta: grown(pair.beta, before.beta) };
  } finally {
    await pair.stop();
  }
}

function print(label: string, base: Map<string, number>, now: Map<string, number>): void {
  const tables = [...new Set([...base.keys(), ...now.keys()])]
    .filter((t) => Math.abs(base.get(t) ?? 0) >= 1 || Math.abs(now.get(t) ?? 0) >= 1)
    .sort((a, b) => (base.get(b) ?? 0) - (base.get(a) ?? 0));
  console.log(`\n${label}: bytes per synced record, per table (indexes included)`);
  console.log(`${"table".padEnd(28)}${"all journals".padStart(14)}${"sampled".padStart(12)}`);
  for (const t of tables)
    console.log(
      `${t.padEnd(28)}${(base.get(t) ?? 0).toFixed(0).padStart(14)}${(now.get(t) ?? 0).toFixed(0).padStart(12)}`,
    );
  const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  const record = (m: Map<string, number>) => m.get("record") ?? 0;
  const beyond = (m: Map<string, number>) => sum(m) - record(m);
  console.log(
    `${"record itself (record)".padEnd(28)}${record(base).toFixed(0).padStart(14)}${record(now).toFixed(0).padStart(12)}`,
  );
  console.log(
    `${"beyond the record".padEnd(28)}${beyond(base).toFixed(0).padStart(14)}${beyond(now).toFixed(0).padStart(12)}` +
      `   aim ≤ ${AIM}: ${(beyond(now) / AIM).toFixed(2)}× the aim; sampled/all ${(beyond(now) / beyond(base)).toFixed(2)}×`,
  );
}

const all = await run({ TANDEM_JOURNAL_KEEP_FIRST: String(Number.MAX_SAFE_INTEGER) });
const sampled = await run({});
console.log(`\nStorage per synced record (${RECORDS} incidents alpha → beta)`);
print("alpha", all.alpha, sampled.alpha);
print("beta", all.beta, sampled.beta);

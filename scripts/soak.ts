// The fault soak: seeded trials of every kind in rotation for as long as asked, then a table.
//
//   npm run soak -- --minutes 30            every kind in rotation, full-size bursts
//   npm run soak -- --seed 1234 --kinds poison-row   replay one seed of one kind
//   npm run soak -- --kinds receiver-kill,sender-kill --quick   small bursts
//   npm run soak -- --minutes 30 --parallel 2   two trials at a time (each on its own instances)
//
// Needs a production build (`npx next build`). `--db` names the storage backend; only `sqlite`
// exists today (PostgreSQL is a later issue: it supplies a `Storage` in tests/faults/cluster.ts).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { kindByName, trialKinds } from "../tests/faults/kinds";
import { describeTrial, runTrial, type TrialResult } from "../tests/faults/trial";

const { values } = parseArgs({
  options: {
    minutes: { type: "string", default: "30" },
    seed: { type: "string" },
    kinds: { type: "string" },
    db: { type: "string", default: "sqlite" },
    quick: { type: "boolean", default: false },
    // Trials mostly wait (downtimes, pauses, delays, recovery), so two at a time nearly double
    // the trials an hour; each has its own instances, ports, folders and seed.
    parallel: { type: "string", default: "1" },
  },
});

if (values.db !== "sqlite") {
  console.error(`--db ${values.db}: only sqlite is built so far`);
  process.exit(2);
}
const kinds = values.kinds ? values.kinds.split(",").map((k) => kindByName(k.trim())) : trialKinds;
const deadline = Date.now() + Number(values.minutes) * 60_000;
const size = values.quick ? "quick" : "full";
const results: TrialResult[] = [];
let stopping = false;
process.on("SIGINT", () => {
  stopping = true;
  console.log("\nStopping after the current trial…");
});

// The trials' data folders go in one folder (tests/support/test-data-root.ts), removed at the end
// unless a trial failed (its databases are what to look at) or TANDEM_KEEP_TEST_DATA=1.
const dataRoot = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-soak-run-"));
process.env.TANDEM_TEST_DATA_ROOT = dataRoot;

async function main(): Promise<void> {
  if (values.seed !== undefined) {
    for (const kind of kinds) record(await runTrial(kind, Number(values.seed), size));
  } else {
    let seed = Math.floor(Date.now() / 1000) % 1_000_000;
    let next = 0;
    const worker = async () => {
      while (!stopping && Date.now() < deadline) {
        const kind = kinds[next++ % kinds.length];
        if (!kind) break;
        record(await runTrial(kind, seed++, size));
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Number(values.parallel)) }, worker));
  }
  printTable(results);
  const failed = results.some((r) => r.failures.length > 0);
  if (failed || process.env.TANDEM_KEEP_TEST_DATA === "1")
    console.log(`The trials' data folders are kept in ${dataRoot}`);
  else fs.rmSync(dataRoot, { recursive: true, force: true });
  process.exit(failed ? 1 : 0);
}

function record(result: TrialResult): void {
  results.push(result);
  console.log(`${result.failures.length ? "FAIL" : "ok  "} ${describeTrial(result)}`);
}

function printTable(rows: TrialResult[]): void {
  const byKind = new Map<string, TrialResult[]>();
  for (const r of rows) byKind.set(r.kind, [...(byKind.get(r.kind) ?? []), r]);
  const header = [
    "trial kind",
    "trials",
    "failed",
    "sent",
    "lost",
    "doubled",
    "diverged",
    "out of order",
    "stuck",
    "worst recovery",
  ];
  const lines = [...byKind].map(([kind, rs]) => {
    const sum = (f: (r: TrialResult) => number) => rs.reduce((n, r) => n + f(r), 0);
    const ran = rs.filter((r) => !r.skipped);
    const worst = Math.max(0, ...ran.map((r) => r.report?.recoveryMs ?? 0));
    return [
      kind,
      String(ran.length) + (ran.length < rs.length ? ` (+${rs.length - ran.length} skipped)` : ""),
      String(sum((r) => (r.failures.length ? 1 : 0))),
      String(sum((r) => r.sent)),
      String(sum((r) => r.report?.lost.length ?? 0)),
      String(sum((r) => r.report?.doubled.length ?? 0)),
      String(sum((r) => r.report?.diverged.length ?? 0)),
      String(sum((r) => r.report?.outOfOrder.length ?? 0)),
      String(sum((r) => r.report?.stuck.length ?? 0)),
      `${(worst / 1000).toFixed(1)} s`,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? "").length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ");
  console.log(`\n${fmt(header)}\n${widths.map((w) => "-".repeat(w)).join("  ")}`);
  for (const l of lines) console.log(fmt(l));
  const failed = rows.filter((r) => r.failures.length > 0);
  console.log(
    `\n${rows.length} trials, ${failed.length} failed${failed.length ? `: ${failed.map((r) => `${r.kind}#${r.seed}`).join(", ")}` : ""}`,
  );
}

await main();

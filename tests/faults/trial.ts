import { type CheckOptions, type CheckReport, check, failures } from "./checker";
import { type Cluster, type ClusterOptions, type Storage, startCluster } from "./cluster";
import { Ledger } from "./ledger";
import { type Rng, rng } from "./prng";

// One seeded trial: start a fresh cluster, play faults against it, check from outside, stop.
// Every trial kind is a function of (context) → the check options; the frame does the rest.

export type TrialSize = "quick" | "full";

export interface TrialContext {
  seed: number;
  size: TrialSize;
  rng: Rng;
  ledger: Ledger;
  cluster: Cluster;
  /** Lines for the report (kill moments, fault counts, throughput). */
  note(line: string): void;
  /** A broken guarantee the trial saw itself (e.g. a poison row that held up other lanes). */
  fail(line: string): void;
}

export interface TrialKind {
  name: string;
  /** Which issue-11 defect this kind is expected to show on a server without its fix. */
  defect?: string;
  cluster?: (seed: number, rng: Rng) => Promise<Omit<ClusterOptions, "rng">> | Omit<ClusterOptions, "rng">;
  /** When the kind cannot run here (e.g. tmpfs needs root): the reason, printed. */
  skip?: () => string | null;
  run(ctx: TrialContext): Promise<Omit<CheckOptions, "faultsEndedAt"> & { faultsEndedAt: number }>;
  cleanup?: (ctx: TrialContext) => Promise<void>;
}

export interface TrialResult {
  kind: string;
  seed: number;
  sent: number;
  report: CheckReport | null;
  failures: string[];
  notes: string[];
  skipped?: string;
  durationMs: number;
}

export async function runTrial(
  kind: TrialKind,
  seed: number,
  size: TrialSize,
  storage?: Storage,
): Promise<TrialResult> {
  const started = Date.now();
  const skipped = kind.skip?.() ?? null;
  if (skipped) {
    return { kind: kind.name, seed, sent: 0, report: null, failures: [], notes: [], skipped, durationMs: 0 };
  }
  const random = rng(seed);
  const notes: string[] = [];
  const seen: string[] = [];
  const extra = kind.cluster ? await kind.cluster(seed, random.fork("cluster")) : {};
  const cluster = await startCluster({
    ...extra,
    rng: random.fork("faults"),
    ...(storage ? { storage } : {}),
  });
  const ledger = new Ledger(`F${seed}-${kind.name} #`);
  const ctx: TrialContext = {
    seed,
    size,
    rng: random.fork("trial"),
    ledger,
    cluster,
    note: (l) => notes.push(l),
    fail: (l) => seen.push(l),
  };
  try {
    const options = await kind.run(ctx);
    const report = await check(cluster, ledger, options);
    const found = [...seen, ...failures(report)];
    if (found.length > 0) {
      for (const name of Object.keys(cluster.nodes) as Array<keyof typeof cluster.nodes>) {
        const inst = cluster.nodes[name]?.inst;
        const errors = (inst?.output() ?? "").split("\n").filter((l) => /"level":(50|60)|Error/.test(l));
        if (errors.length) notes.push(`${name} logged: ${errors.slice(-3).join(" | ").slice(0, 600)}`);
      }
    }
    return {
      kind: kind.name,
      seed,
      sent: ledger.summary().sent,
      report,
      failures: found,
      notes,
      durationMs: Date.now() - started,
    };
  } catch (error) {
    return {
      kind: kind.name,
      seed,
      sent: ledger.summary().sent,
      report: null,
      failures: [`trial failed: ${error instanceof Error ? error.message : String(error)}`],
      notes,
      durationMs: Date.now() - started,
    };
  } finally {
    await cluster.stop();
    await kind.cleanup?.(ctx);
  }
}

/** A one-paragraph account of a trial, for test output and the soak log. */
export function describeTrial(r: TrialResult): string {
  if (r.skipped) return `${r.kind} seed ${r.seed}: skipped (${r.skipped})`;
  const head = `${r.kind} seed ${r.seed}: ${r.sent} writes, recovery ${r.report ? r.report.recoveryMs : "?"} ms, ${(r.durationMs / 1000).toFixed(1)} s`;
  const body = [...r.notes, ...r.failures].map((l) => `  ${l}`).join("\n");
  return body ? `${head}\n${body}` : head;
}

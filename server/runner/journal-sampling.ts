import type { StepRecord } from "../../flows";
import { getNodeType } from "../../flows";

/**
 * Which runs keep their whole journal (every step's inputs and outputs). Storage per synced
 * record was 13.7 KB, 12.4 KB of it journals of runs nobody opens (issue 14). Failed runs are
 * always kept whole (they are what people open and reprocess); of the successful ones per flow,
 * the first `keepFirst` since the process started and then one in `oneIn`. The rest keep a
 * summary: per-node status, port and duration, plus the outputs of steps with outside effects,
 * which is all a replay without repeating effects reads (flows/interpreter/runner.ts replays
 * only completed side-effecting steps unless asked for `all`).
 */
export interface SamplingRule {
  keepFirst: number;
  oneIn: number;
}

export function samplingFromEnv(env: Record<string, string | undefined> = process.env): SamplingRule {
  return {
    keepFirst: nonNegative(env.TANDEM_JOURNAL_KEEP_FIRST, 20),
    oneIn: nonNegative(env.TANDEM_JOURNAL_SAMPLE_ONE_IN, 100),
  };
}

function nonNegative(raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : fallback;
}

export class JournalSampler {
  private readonly seen = new Map<string, number>();

  constructor(private readonly rule: SamplingRule = samplingFromEnv()) {}

  /** True when this run keeps its whole journal. Counts successful runs per flow. */
  keepWhole(flowId: string, status: "completed" | "error" | "cancelled"): boolean {
    if (status !== "completed") return true;
    const n = (this.seen.get(flowId) ?? 0) + 1;
    this.seen.set(flowId, n);
    if (n <= this.rule.keepFirst) return true;
    return this.rule.oneIn > 0 && (n - this.rule.keepFirst) % this.rule.oneIn === 0;
  }
}

/**
 * A summary journal: the same steps without inputs and outputs, except the outputs of
 * side-effecting steps (a replay hands them back instead of repeating the effect).
 */
export function summarise(steps: StepRecord[]): StepRecord[] {
  return steps.map((s) => {
    const effect = s.status === "completed" && getNodeType(s.type)?.sideEffects === true;
    const out: StepRecord = {
      nodeId: s.nodeId,
      type: s.type,
      status: s.status,
      inputs: null,
      outputs: effect ? s.outputs : null,
      startedAt: s.startedAt,
      durationMs: s.durationMs,
    };
    if (s.iteration !== undefined) out.iteration = s.iteration;
    if (s.port !== undefined) out.port = s.port;
    if (s.error !== undefined) out.error = s.error;
    if (s.replayed) out.replayed = true;
    return out;
  });
}

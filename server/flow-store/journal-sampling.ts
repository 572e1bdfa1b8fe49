import type { StepRecord } from "../../flows";

/**
 * Which runs keep their whole journal (every step's inputs and outputs). Storage per synced
 * record was 13.7 KB, 12.4 KB of it journals of runs nobody opens (issue 14). Failed runs are
 * always kept whole (they are what people open and reprocess); of the successful ones per flow,
 * the first `keepFirst` since the process started and then one in `oneIn`. The rest keep a
 * summary: per-node status, port and duration. A summary is never replayed: only a completed
 * run is summarised, and a completed run's queue row is processed, which no reprocess or retry
 * runs again (server/runner/execution-writer.ts `steps`). A re-run after a crash lost the
 * processed mark replays the row's earlier journal, and its effects are made safe to repeat by
 * their idempotency keys and the receiver's dedup by message id.
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

/** A summary journal: the same steps without inputs and outputs. */
export function summarise(steps: StepRecord[]): StepRecord[] {
  return steps.map((s) => {
    const out: StepRecord = {
      nodeId: s.nodeId,
      type: s.type,
      status: s.status,
      inputs: null,
      outputs: null,
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

/**
 * A summary as stored when a step is not plain (packIndexed and packCompact below write the
 * common forms): the run's start once, then one short row per step,
 * `[nodeId, type, "c" | "e", port | null, start offset ms, duration ms, outputs?, extras?]`
 * with times to 0.01 ms (outputs are null; rows written before summaries dropped side-effect
 * outputs may hold them). Spelt out as objects the summary took ~150 bytes a step (key names,
 * null inputs and outputs, 16-digit timings), about a third of the storage per synced record;
 * as rows it takes ~50. unpackSteps (execution-journal.ts) reads every form.
 */
export interface PackedSummary {
  t0: number;
  rows: SummaryRow[];
}
type SummaryRow = [string, string, "c" | "e", string | null, number, number, unknown?, SummaryExtras?];
type SummaryExtras = Pick<StepRecord, "iteration" | "error" | "replayed">;

const hundredths = (ms: number) => Math.round(ms * 100) / 100;

/**
 * The summary to store. `nodeOrder` is the version's nodes in its DAG's order (Dag.order), which
 * the runner holds in memory: with it, a plain run is written naming nodes by position (packIndexed).
 */
export function packSummary(
  steps: StepRecord[],
  runStartedAt: number,
  nodeOrder?: readonly string[],
): string {
  const t0 = Math.floor(runStartedAt);
  const summary = summarise(steps);
  const compact = (nodeOrder && packIndexed(summary, t0, nodeOrder)) ?? packCompact(summary, t0);
  if (compact !== undefined) return compact;
  const rows = summary.map((s): SummaryRow => {
    const row: SummaryRow = [
      s.nodeId,
      s.type,
      s.status === "error" ? "e" : "c",
      s.port ?? null,
      hundredths(s.startedAt - t0),
      hundredths(s.durationMs),
    ];
    const extras: SummaryExtras = {};
    if (s.iteration !== undefined) extras.iteration = s.iteration;
    if (s.error !== undefined) extras.error = s.error;
    if (s.replayed) extras.replayed = true;
    const hasExtras = Object.keys(extras).length > 0;
    if (s.outputs !== null || hasExtras) row.push(s.outputs);
    if (hasExtras) row.push(extras);
    return row;
  });
  return JSON.stringify({ t0, rows } satisfies PackedSummary);
}

/**
 * The common summary (issue 14), a run whose every step completed plainly (no error, no outputs,
 * not replayed): `~` then one `nodeId,port,offset,duration[,iteration]` per step, `;` between.
 * The node's type is not written (the version's graph has it, and the run's start is the
 * execution's started_at), the port "next" is written empty and no port as `-`. The JSON rows
 * took ~50 bytes a step; this ~20. A step this cannot spell (a `,` or `;` in an id or port, an
 * error, outputs) keeps the whole summary in the JSON rows. Written when a step's node is not in
 * the version's node order (packIndexed); rows stored before that still read.
 */
const COMPACT = "~";
const plainText = (text: string) => !/[,;]/.test(text);

/** A step both compact forms spell: completed plainly, its port and iteration free of separators. */
function plainStep(s: StepRecord): boolean {
  if (s.status !== "completed" || s.error !== undefined || s.replayed) return false;
  if (s.outputs !== null && s.outputs !== undefined) return false;
  // "" would read back as "next", "-" as no port
  if (s.port !== undefined && (!plainText(s.port) || s.port === "" || s.port === "-")) return false;
  return s.iteration === undefined || plainText(s.iteration);
}

const portField = (port: string | undefined) => (port === undefined ? "-" : port === "next" ? "" : port);
const portOf = (field: string) => (field === "" ? "next" : field);

function packCompact(steps: StepRecord[], t0: number): string | undefined {
  const parts: string[] = [];
  for (const s of steps) {
    if (!plainStep(s) || !plainText(s.nodeId)) return undefined;
    const fields = [
      s.nodeId,
      portField(s.port),
      String(hundredths(s.startedAt - t0)),
      String(hundredths(s.durationMs)),
    ];
    if (s.iteration !== undefined) fields.push(s.iteration);
    parts.push(fields.join(","));
  }
  return COMPACT + parts.join(";");
}

/**
 * The common summary by node position (issue 14): `^`, a 3-character check of the node order,
 * then one `index,port,gap,duration[,iteration]` per step, `;` between. `index` is the node's
 * position in the version's DAG order, stored with the immutable version, so the runner and the
 * execution view read the same list. Times are whole hundredths of a millisecond: `gap` from the
 * previous step's end (the run's start for the first), so most are 0 or a few digits. A 0 gap or
 * duration and the port "next" are written empty, trailing empty fields left off when there is
 * no iteration. The check tells a list that is not the one packed (a flow deleted and made again
 * under the same id and version): its steps read as `#index`, type "". Half the `~` form or less.
 */
const INDEXED = "^";
const CHECK_LENGTH = 3;

interface NodeOrder {
  positions: ReadonlyMap<string, number>;
  check: string;
}

// The runner's order is its cached DAG's array, so a run looks its positions up, not builds them.
const orders = new WeakMap<readonly string[], NodeOrder>();

function orderOf(ids: readonly string[]): NodeOrder {
  let order = orders.get(ids);
  if (!order) {
    order = { positions: new Map(ids.map((id, i) => [id, i])), check: checkOf(ids) };
    orders.set(ids, order);
  }
  return order;
}

/** FNV-1a of the list, in 3 base-36 characters. */
function checkOf(ids: readonly string[]): string {
  const text = JSON.stringify(ids);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return ((h >>> 0) % 36 ** CHECK_LENGTH).toString(36).padStart(CHECK_LENGTH, "0");
}

// Whole hundredths well inside the exact integers, so the sums read back are exact (NaN falls back).
const exactTimes = (offset: number, duration: number) =>
  Number.isInteger(offset) && Number.isInteger(duration) && Math.abs(offset) + Math.abs(duration) < 2 ** 50;

function packIndexed(steps: StepRecord[], t0: number, nodeOrder: readonly string[]): string | undefined {
  const { positions, check } = orderOf(nodeOrder);
  const parts: string[] = [];
  let end = 0;
  for (const s of steps) {
    const at = positions.get(s.nodeId);
    const offset = Math.round((s.startedAt - t0) * 100);
    const duration = Math.round(s.durationMs * 100);
    if (at === undefined || !plainStep(s) || !exactTimes(offset, duration)) return undefined;
    parts.push(indexedStep(at, s, offset - end, duration));
    end = offset + duration;
  }
  return INDEXED + check + parts.join(";");
}

function indexedStep(at: number, s: StepRecord, gap: number, duration: number): string {
  const fields = [
    String(at),
    portField(s.port),
    gap === 0 ? "" : String(gap),
    duration === 0 ? "" : String(duration),
  ];
  if (s.iteration !== undefined) return [...fields, s.iteration].join(",");
  while (fields.length > 1 && fields.at(-1) === "") fields.pop();
  return fields.join(",");
}

/** What a compact summary leaves to the execution row: its start and its version's nodes. */
export interface SummaryContext {
  startedAt: number;
  /** Node id → type, from the version's graph; a node not in it reads as type "". */
  types: ReadonlyMap<string, string>;
  /** The version's nodes in its DAG's order ([] when the version is gone). */
  nodes: readonly string[];
}

export function isCompactSummary(text: string): boolean {
  return text.startsWith(COMPACT) || text.startsWith(INDEXED);
}

export function unpackCompact(text: string, context: SummaryContext): StepRecord[] {
  if (text.startsWith(INDEXED)) return unpackIndexed(text, context);
  const t0 = Math.floor(Number(context.startedAt));
  const body = text.slice(COMPACT.length);
  if (body === "") return [];
  return body.split(";").map((part) => {
    const [nodeId = "", port = "", offset = "0", duration = "0", iteration] = part.split(",");
    return plainRecord(nodeId, context, port, t0 + Number(offset), Number(duration), iteration);
  });
}

function unpackIndexed(text: string, context: SummaryContext): StepRecord[] {
  const t0 = Math.floor(Number(context.startedAt));
  const check = text.slice(INDEXED.length, INDEXED.length + CHECK_LENGTH);
  const body = text.slice(INDEXED.length + CHECK_LENGTH);
  if (body === "") return [];
  const ids = orderOf(context.nodes).check === check ? context.nodes : [];
  let end = 0;
  return body.split(";").map((part) => {
    const [at = "", port = "", gap = "", duration = "", iteration] = part.split(",");
    const offset = end + Number(gap);
    end = offset + Number(duration);
    const nodeId = ids[Number(at)] ?? `#${at}`;
    return plainRecord(nodeId, context, port, t0 + offset / 100, Number(duration) / 100, iteration);
  });
}

function plainRecord(
  nodeId: string,
  context: SummaryContext,
  port: string,
  startedAt: number,
  durationMs: number,
  iteration: string | undefined,
): StepRecord {
  const step: StepRecord = {
    nodeId,
    type: context.types.get(nodeId) ?? "",
    status: "completed",
    inputs: null,
    outputs: null,
    startedAt,
    durationMs,
  };
  if (iteration !== undefined) step.iteration = iteration;
  if (port !== "-") step.port = portOf(port);
  return step;
}

export function isPackedSummary(value: unknown): value is PackedSummary {
  return value !== null && typeof value === "object" && !Array.isArray(value) && "rows" in value;
}

export function unpackSummary({ t0, rows }: PackedSummary): StepRecord[] {
  return rows.map(([nodeId, type, status, port, offset, durationMs, outputs, extras]) => {
    const step: StepRecord = {
      nodeId,
      type,
      status: status === "e" ? "error" : "completed",
      inputs: null,
      outputs: outputs ?? null,
      startedAt: t0 + offset,
      durationMs,
    };
    if (extras?.iteration !== undefined) step.iteration = extras.iteration;
    if (port !== null) step.port = port;
    if (extras?.error !== undefined) step.error = extras.error;
    if (extras?.replayed) step.replayed = true;
    return step;
  });
}

import type { StepRecord } from "../../flows";
import { get, type Plan, run, sql } from "../storage";
import { emptyHistogram, type Histogram, merge, pack, record, unpack } from "./histogram";

// The write side of the live canvas's aggregate (flow_node_stat). The execution writer hands
// over each batch of runs; they are summed in memory per key (flow, version, span, bucket, node,
// port) and written with one read and one upsert per key inside the batch's transaction. A batch
// of a few hundred runs of one flow touches a few dozen keys, so the hot path stays cheap.

export const MINUTE = 60_000;
export const HOUR = 3_600_000;

/** What the aggregate needs of one run. */
export interface RunForStats {
  flowId: string;
  version: number;
  status: "completed" | "error" | "cancelled";
  startedAt: number;
  error: string | null;
  errorNodeId: string | null;
  steps: readonly Pick<StepRecord, "nodeId" | "port" | "durationMs">[];
}

interface Cell {
  flowId: string;
  version: number;
  span: number;
  bucket: number;
  nodeId: string;
  port: string;
  runs: number;
  errors: number;
  histogram: Histogram | null;
  lastError: string | null;
  lastErrorAt: number | null;
}

/** Sums runs into cells; `cells()` hands them out for the upsert. Pure: tests use it directly. */
export class StatsBatch {
  private readonly byKey = new Map<string, Cell>();
  private rolledUp: Map<string, Cell> | null = null;

  add(run: RunForStats): void {
    // A node inside a loop runs many steps per run: the canvas counts runs, so steps of one run
    // are folded per node first (durations add up, each port counts once).
    const perNode = new Map<string, { durationMs: number; ports: string[] }>();
    for (const s of run.steps) {
      let n = perNode.get(s.nodeId);
      if (!n) {
        n = { durationMs: 0, ports: [] };
        perNode.set(s.nodeId, n);
      }
      n.durationMs += s.durationMs;
      if (s.port && !n.ports.includes(s.port)) n.ports.push(s.port);
    }
    if (run.errorNodeId && !perNode.has(run.errorNodeId))
      perNode.set(run.errorNodeId, { durationMs: 0, ports: [] });
    // Minute cells only: hour cells are rolled up from them once per batch (far fewer cells than
    // runs), which halves the work per run on the writer's hot path.
    const bucket = run.startedAt - (run.startedAt % MINUTE);
    const prefix = `${run.flowId}\u0000${run.version}\u0000${MINUTE}\u0000${bucket}\u0000`;
    for (const [nodeId, n] of perNode) {
      const cell = this.cell(this.byKey, prefix, run, MINUTE, bucket, nodeId, "");
      cell.runs++;
      if (cell.histogram) record(cell.histogram, n.durationMs);
      if (run.status === "error" && run.errorNodeId === nodeId) {
        cell.errors++;
        if (cell.lastErrorAt === null || run.startedAt >= cell.lastErrorAt) {
          cell.lastError = run.error ?? "Failed";
          cell.lastErrorAt = run.startedAt;
        }
      }
      for (const port of n.ports) this.cell(this.byKey, prefix, run, MINUTE, bucket, nodeId, port).runs++;
    }
    this.rolledUp = null;
  }

  /** Every cell of the batch: its minute cells and the hour cells summed from them. */
  cells(): Cell[] {
    return [...this.byKey.values(), ...this.hours().values()];
  }

  get size(): number {
    return this.byKey.size + this.hours().size;
  }

  private hours(): Map<string, Cell> {
    if (this.rolledUp) return this.rolledUp;
    const hours = new Map<string, Cell>();
    for (const m of this.byKey.values()) {
      const bucket = m.bucket - (m.bucket % HOUR);
      const prefix = `${m.flowId}\u0000${m.version}\u0000${HOUR}\u0000${bucket}\u0000`;
      const h = this.cell(hours, prefix, m, HOUR, bucket, m.nodeId, m.port);
      h.runs += m.runs;
      h.errors += m.errors;
      if (h.histogram && m.histogram) merge(h.histogram, m.histogram);
      if (m.lastErrorAt !== null && (h.lastErrorAt === null || m.lastErrorAt >= h.lastErrorAt)) {
        h.lastError = m.lastError;
        h.lastErrorAt = m.lastErrorAt;
      }
    }
    this.rolledUp = hours;
    return hours;
  }

  private cell(
    into: Map<string, Cell>,
    prefix: string,
    run: Pick<RunForStats, "flowId" | "version">,
    span: number,
    bucket: number,
    nodeId: string,
    port: string,
  ): Cell {
    const key = `${prefix}${nodeId}\u0000${port}`;
    let c = into.get(key);
    if (!c) {
      c = {
        flowId: run.flowId,
        version: run.version,
        span,
        bucket,
        nodeId,
        port,
        runs: 0,
        errors: 0,
        histogram: port === "" ? emptyHistogram() : null,
        lastError: null,
        lastErrorAt: null,
      };
      into.set(key, c);
    }
    return c;
  }
}

const Q = {
  histogram: sql<{ histogram: string }>(
    `SELECT histogram FROM flow_node_stat
     WHERE flow_id = ? AND version = ? AND span = ? AND bucket = ? AND node_id = ? AND port = ?`,
  ),
  // PostgreSQL wants the existing row's columns qualified (excluded.* is the new one) and has
  // greatest() for SQLite's two-argument max()
  upsert: sql({
    sqlite: `INSERT INTO flow_node_stat (flow_id, version, span, bucket, node_id, port, runs, errors, histogram, last_error, last_error_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (flow_id, version, span, bucket, node_id, port) DO UPDATE SET
         runs = runs + excluded.runs,
         errors = errors + excluded.errors,
         histogram = excluded.histogram,
         last_error = CASE WHEN excluded.last_error_at >= coalesce(last_error_at, 0) THEN excluded.last_error ELSE last_error END,
         last_error_at = max(coalesce(last_error_at, 0), coalesce(excluded.last_error_at, 0))`,
    postgres: `INSERT INTO flow_node_stat AS s (flow_id, version, span, bucket, node_id, port, runs, errors, histogram, last_error, last_error_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (flow_id, version, span, bucket, node_id, port) DO UPDATE SET
         runs = s.runs + excluded.runs,
         errors = s.errors + excluded.errors,
         histogram = excluded.histogram,
         last_error = CASE WHEN excluded.last_error_at >= coalesce(s.last_error_at, 0) THEN excluded.last_error ELSE s.last_error END,
         last_error_at = greatest(coalesce(s.last_error_at, 0), coalesce(excluded.last_error_at, 0))`,
  }),
  purge: sql("DELETE FROM flow_node_stat WHERE span = ? AND bucket < ?"),
};

/** The aggregate's writes as plans, to run inside the transaction that writes the runs. */
export const nodeStatsPlans = {
  /** Adds a batch's cells: one read (the stored histogram) and one upsert per cell. */
  *write(batch: StatsBatch): Plan<void> {
    for (const c of batch.cells()) {
      let histogram = "[]";
      if (c.histogram) {
        const stored = yield* get(Q.histogram, c.flowId, c.version, c.span, c.bucket, c.nodeId, c.port);
        histogram = pack(stored ? merge(unpack(stored.histogram), c.histogram) : c.histogram);
      }
      yield* run(
        Q.upsert,
        c.flowId,
        c.version,
        c.span,
        c.bucket,
        c.nodeId,
        c.port,
        c.runs,
        c.errors,
        histogram,
        c.lastError,
        c.lastErrorAt,
      );
    }
  },

  /** Drops buckets no window reads any more: minutes after 8 days, hours after 35 days. */
  *purge(now: number): Plan<void> {
    yield* run(Q.purge, MINUTE, now - 8 * 24 * HOUR);
    yield* run(Q.purge, HOUR, now - 35 * 24 * HOUR);
  },
};

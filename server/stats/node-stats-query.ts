import { all, get, type Plan, type Storage, sql } from "../storage";
import { emptyHistogram, merge, quantile, unpack } from "./histogram";
import { HOUR, MINUTE } from "./node-stats-writer";

// The read side of the live canvas (issue 15): a flow version's figures over a window, summed
// from flow_node_stat. Whole hours come from the hour rows and the partial hour at the window's
// start from minute rows, so a window is exact to the minute and a 7-day window reads at most
// 168 + 60 rows per node and port, however many runs it holds.

export const statWindows = { "15m": 15 * MINUTE, "1h": HOUR, "24h": 24 * HOUR, "7d": 7 * 24 * HOUR } as const;
export type StatWindow = keyof typeof statWindows;

export interface NodeFigures {
  runs: number;
  errors: number;
  /** p95 duration in ms from the histogram (a bucket's upper bound); null without runs. */
  p95Ms: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
}

export interface VersionFigures {
  version: number;
  nodes: Record<string, NodeFigures>;
  /** Runs that left a node by a port, keyed `nodeId:port` (what an edge from that port shows). */
  ports: Record<string, number>;
}

interface Row {
  node_id: string;
  port: string;
  runs: number;
  errors: number;
  histogram: string;
  last_error: string | null;
  last_error_at: number | null;
}

/** Where the window [from, now] splits into minute rows and hour rows. */
export function windowParts(now: number, windowMs: number) {
  const from = now - windowMs;
  const minuteFrom = from - (from % MINUTE);
  const hourFrom = Math.ceil(from / HOUR) * HOUR;
  return { minuteFrom, hourFrom };
}

const Q = {
  rows: sql<Row>(
    `SELECT node_id, port, runs, errors, histogram, last_error, last_error_at FROM flow_node_stat
      WHERE flow_id = ? AND version = ? AND span = ? AND bucket >= ? AND bucket < ?
     UNION ALL
     SELECT node_id, port, runs, errors, histogram, last_error, last_error_at FROM flow_node_stat
      WHERE flow_id = ? AND version = ? AND span = ? AND bucket >= ?`,
  ),
  previous: sql<{ v: number | null }>(
    "SELECT max(version) AS v FROM flow_version WHERE flow_id = ? AND version < ?",
  ),
};

function sum(version: number, rows: Row[]): VersionFigures {
  const nodes: Record<string, NodeFigures> = {};
  const histograms = new Map<string, number[]>();
  const ports: Record<string, number> = {};
  for (const r of rows) {
    if (r.port !== "") {
      const key = `${r.node_id}:${r.port}`;
      ports[key] = (ports[key] ?? 0) + r.runs;
      continue;
    }
    let n = nodes[r.node_id];
    if (!n) {
      n = { runs: 0, errors: 0, p95Ms: null, lastError: null, lastErrorAt: null };
      nodes[r.node_id] = n;
    }
    n.runs += r.runs;
    n.errors += r.errors;
    if (r.last_error_at !== null && (n.lastErrorAt === null || r.last_error_at > n.lastErrorAt)) {
      n.lastError = r.last_error;
      n.lastErrorAt = r.last_error_at;
    }
    let h = histograms.get(r.node_id);
    if (!h) {
      h = emptyHistogram();
      histograms.set(r.node_id, h);
    }
    merge(h, unpack(r.histogram));
  }
  for (const [id, h] of histograms) {
    const n = nodes[id];
    if (n) n.p95Ms = quantile(h, 0.95);
  }
  return { version, nodes, ports };
}

/** The read side as plans, to compose (flow-figures.ts reads two versions in one plan). */
export const nodeStatsQueryPlans = {
  *figures(flowId: string, version: number, windowMs: number, now: number): Plan<VersionFigures> {
    const { minuteFrom, hourFrom } = windowParts(now, windowMs);
    const rows = yield* all(
      Q.rows,
      flowId,
      version,
      MINUTE,
      minuteFrom,
      hourFrom,
      flowId,
      version,
      HOUR,
      hourFrom,
    );
    return sum(version, rows);
  },

  /** The version published before this one, if any (what the picker compares with). */
  *previousVersion(flowId: string, version: number): Plan<number | null> {
    return (yield* get(Q.previous, flowId, version))?.v ?? null;
  },
};

export class NodeStatsQuery {
  constructor(private readonly storage: Storage) {}

  figures(flowId: string, version: number, windowMs: number, now = Date.now()): Promise<VersionFigures> {
    return this.storage.read(nodeStatsQueryPlans.figures(flowId, version, windowMs, now));
  }

  previousVersion(flowId: string, version: number): Promise<number | null> {
    return this.storage.read(nodeStatsQueryPlans.previousVersion(flowId, version));
  }
}

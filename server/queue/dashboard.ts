import { all, get, type Plan, type Storage, sql } from "../storage";
import type { SyncConfig } from "../sync/config-store";
import type { QueueName } from "./operations";

// Read model of the dashboard (SPEC 6): remotes in error, errors and backlog per queue,
// throughput per minute/hour/day, time in queue and processing time, and the last 24 hours.
// Aggregates run over the queue tables directly: rows are purged after a retention (7 days by
// default), so the scans stay bounded.

const hourMs = 3_600_000;
const tableOf = { outbound: "outbound_queue", inbound: "inbound_queue" } as const;
const createdOf = { outbound: "created_at", inbound: "received_at" } as const;

/** The chart's selectable time windows: how far back, in buckets of what size. */
export const chartWindows = {
  "1h": { bucketMs: 60_000, count: 60 },
  "24h": { bucketMs: hourMs, count: 24 },
  "7d": { bucketMs: 4 * hourMs, count: 42 },
} as const;
export type ChartWindow = keyof typeof chartWindows;

export interface Bucket {
  start: number;
  processed: number;
  errors: number;
}

export interface QueueStats {
  errors: number;
  backlog: number;
  processed: { minute: number; hour: number; day: number };
  /** Averages over the last hour, ms (null when nothing finished). */
  avgQueueMs: number | null;
  avgProcessingMs: number | null;
  /** 24 hourly buckets, oldest first. */
  hours: Bucket[];
  /** The chart's window, oldest bucket first (the 24 h one is `hours`). */
  series: { window: ChartWindow; bucketMs: number; buckets: Bucket[] };
}

// On PostgreSQL: FILTER for SQLite's total(condition), avg() cast to float8 (numeric comes back
// as a string), integer division of bigints as on SQLite.
const countsQuery = (queue: QueueName) => {
  const since = `started_at - ${createdOf[queue]}`;
  return sql<Counts>({
    sqlite: `SELECT total(status = 'error') AS errors, total(status IN ('ready', 'processing')) AS backlog,
         total(status = 'processed' AND finished_at >= ?) AS minute,
         total(status = 'processed' AND finished_at >= ?) AS hour,
         total(status = 'processed' AND finished_at >= ?) AS day,
         avg(CASE WHEN finished_at >= ? AND started_at IS NOT NULL THEN ${since} END) AS q,
         avg(CASE WHEN finished_at >= ? THEN processing_ms END) AS p
       FROM ${tableOf[queue]}`,
    postgres: `SELECT count(*) FILTER (WHERE status = 'error') AS errors,
         count(*) FILTER (WHERE status IN ('ready', 'processing')) AS backlog,
         count(*) FILTER (WHERE status = 'processed' AND finished_at >= ?) AS minute,
         count(*) FILTER (WHERE status = 'processed' AND finished_at >= ?) AS hour,
         count(*) FILTER (WHERE status = 'processed' AND finished_at >= ?) AS day,
         avg(CASE WHEN finished_at >= ? AND started_at IS NOT NULL THEN ${since} END)::float8 AS q,
         avg(CASE WHEN finished_at >= ? THEN processing_ms END)::float8 AS p
       FROM ${tableOf[queue]}`,
  });
};

const bucketsQuery = (queue: QueueName, window: ChartWindow) => {
  const { bucketMs } = chartWindows[window];
  return sql<{ b: number; processed: number; errors: number }>({
    sqlite: `SELECT CAST((finished_at - ?) / ${bucketMs} AS INTEGER) AS b, total(status = 'processed') AS processed, total(status = 'error') AS errors
       FROM ${tableOf[queue]} WHERE finished_at >= ? GROUP BY b`,
    postgres: `SELECT CAST((finished_at - ?) / ${bucketMs} AS INTEGER) AS b, count(*) FILTER (WHERE status = 'processed') AS processed,
         count(*) FILTER (WHERE status = 'error') AS errors
       FROM ${tableOf[queue]} WHERE finished_at >= ? GROUP BY b`,
  });
};

const windows = Object.keys(chartWindows) as ChartWindow[];
const Q = {
  counts: { outbound: countsQuery("outbound"), inbound: countsQuery("inbound") },
  buckets: {
    outbound: Object.fromEntries(windows.map((w) => [w, bucketsQuery("outbound", w)])),
    inbound: Object.fromEntries(windows.map((w) => [w, bucketsQuery("inbound", w)])),
  } as Record<QueueName, Record<ChartWindow, ReturnType<typeof bucketsQuery>>>,
};

interface Counts {
  errors: number;
  backlog: number;
  minute: number;
  hour: number;
  day: number;
  q: number | null;
  p: number | null;
}

export type Dashboard = ReturnType<typeof summary>;

export function dashboard(
  storage: Storage,
  config: SyncConfig,
  now = Date.now(),
  window: ChartWindow = "24h",
): Promise<Dashboard> {
  return storage.read(dashboardPlan(config, now, window));
}

export function* dashboardPlan(config: SyncConfig, now: number, window: ChartWindow): Plan<Dashboard> {
  const outbound = yield* queueStats("outbound", now, window);
  const inbound = yield* queueStats("inbound", now, window);
  return summary(config, now, outbound, inbound);
}

function summary(config: SyncConfig, now: number, outbound: QueueStats, inbound: QueueStats) {
  const remotes = [...config.snapshot().remotesById.values()].map((r) => ({
    id: r.id,
    name: r.name,
    outboundState: r.outboundState,
    inboundState: r.inboundState,
    stateMessage: r.stateMessage,
  }));
  return {
    at: now,
    remotes,
    remotesInError: remotes.filter((r) => r.outboundState === "error" || r.inboundState === "error"),
    outbound,
    inbound,
  };
}

function* queueStats(queue: QueueName, now: number, window: ChartWindow): Plan<QueueStats> {
  const [minute, hour, day] = [now - 60_000, now - hourMs, now - 24 * hourMs];
  const counts = (yield* get(Q.counts[queue], minute, hour, day, hour, hour)) as Counts;
  const hours = yield* buckets(queue, now, "24h");
  return {
    errors: counts.errors,
    backlog: counts.backlog,
    processed: { minute: counts.minute, hour: counts.hour, day: counts.day },
    avgQueueMs: counts.q === null ? null : Math.round(counts.q),
    avgProcessingMs: counts.p === null ? null : Math.round(counts.p),
    hours,
    series: {
      window,
      bucketMs: chartWindows[window].bucketMs,
      buckets: window === "24h" ? hours : yield* buckets(queue, now, window),
    },
  };
}

/** Rows finished per bucket, processed and failed. */
function* buckets(queue: QueueName, now: number, window: ChartWindow): Plan<Bucket[]> {
  const { bucketMs, count } = chartWindows[window];
  // Buckets aligned to whole bucket sizes, so the chart's bars do not shift on every refresh.
  const first = Math.floor(now / bucketMs) * bucketMs - (count - 1) * bucketMs;
  const rows = yield* all(Q.buckets[queue][window], first, first);
  const out = Array.from({ length: count }, (_, i) => ({
    start: first + i * bucketMs,
    processed: 0,
    errors: 0,
  }));
  for (const r of rows) {
    const slot = out[Math.floor(r.b)];
    if (slot) {
      slot.processed += r.processed;
      slot.errors += r.errors;
    }
  }
  return out;
}

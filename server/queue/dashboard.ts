import type { Db } from "../db/client";
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

export function dashboard(db: Db, config: SyncConfig, now = Date.now(), window: ChartWindow = "24h") {
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
    outbound: queueStats(db, "outbound", now, window),
    inbound: queueStats(db, "inbound", now, window),
  };
}

function queueStats(db: Db, queue: QueueName, now: number, window: ChartWindow): QueueStats {
  const c = db.$client;
  const t = tableOf[queue];
  const counts = c
    .prepare(
      `SELECT total(status = 'error') AS errors, total(status IN ('ready', 'processing')) AS backlog,
         total(status = 'processed' AND finished_at >= @minute) AS minute,
         total(status = 'processed' AND finished_at >= @hour) AS hour,
         total(status = 'processed' AND finished_at >= @day) AS day,
         avg(CASE WHEN finished_at >= @hour AND started_at IS NOT NULL THEN started_at - ${createdOf[queue]} END) AS q,
         avg(CASE WHEN finished_at >= @hour THEN processing_ms END) AS p
       FROM ${t}`,
    )
    .get({ minute: now - 60_000, hour: now - hourMs, day: now - 24 * hourMs }) as {
    errors: number;
    backlog: number;
    minute: number;
    hour: number;
    day: number;
    q: number | null;
    p: number | null;
  };
  const hours = buckets(db, queue, now, "24h");
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
      buckets: window === "24h" ? hours : buckets(db, queue, now, window),
    },
  };
}

/** Rows finished per bucket, processed and failed. */
function buckets(db: Db, queue: QueueName, now: number, window: ChartWindow): Bucket[] {
  const { bucketMs, count } = chartWindows[window];
  // Buckets aligned to whole bucket sizes, so the chart's bars do not shift on every refresh.
  const first = Math.floor(now / bucketMs) * bucketMs - (count - 1) * bucketMs;
  const rows = db.$client
    .prepare(
      `SELECT CAST((finished_at - @first) / ${bucketMs} AS INTEGER) AS b, total(status = 'processed') AS processed, total(status = 'error') AS errors
       FROM ${tableOf[queue]} WHERE finished_at >= @first GROUP BY b`,
    )
    .all({ first }) as Array<{ b: number; processed: number; errors: number }>;
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

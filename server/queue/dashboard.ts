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

export interface QueueStats {
  errors: number;
  backlog: number;
  processed: { minute: number; hour: number; day: number };
  /** Averages over the last hour, ms (null when nothing finished). */
  avgQueueMs: number | null;
  avgProcessingMs: number | null;
  /** 24 hourly buckets, oldest first. */
  hours: Array<{ start: number; processed: number; errors: number }>;
}

export function dashboard(db: Db, config: SyncConfig, now = Date.now()) {
  const remotes = config.listRemotes().map((r) => ({
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
    outbound: queueStats(db, "outbound", now),
    inbound: queueStats(db, "inbound", now),
  };
}

function queueStats(db: Db, queue: QueueName, now: number): QueueStats {
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
  // Buckets aligned to whole hours, so the chart's bars do not shift every minute.
  const first = Math.floor(now / hourMs) * hourMs - 23 * hourMs;
  const buckets = c
    .prepare(
      `SELECT CAST((finished_at - @first) / ${hourMs} AS INTEGER) AS b, total(status = 'processed') AS processed, total(status = 'error') AS errors
       FROM ${t} WHERE finished_at >= @first GROUP BY b`,
    )
    .all({ first }) as Array<{ b: number; processed: number; errors: number }>;
  const hours = Array.from({ length: 24 }, (_, i) => ({
    start: first + i * hourMs,
    processed: 0,
    errors: 0,
  }));
  for (const b of buckets) {
    const slot = hours[Math.floor(b.b)];
    if (slot) {
      slot.processed += b.processed;
      slot.errors += b.errors;
    }
  }
  return {
    errors: counts.errors,
    backlog: counts.backlog,
    processed: { minute: counts.minute, hour: counts.hour, day: counts.day },
    avgQueueMs: counts.q === null ? null : Math.round(counts.q),
    avgProcessingMs: counts.p === null ? null : Math.round(counts.p),
    hours,
  };
}

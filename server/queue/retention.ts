import { idempotencyKeyPlans } from "../idempotency/idempotency-keys";
import { get, type Plan, run, type Storage, sql } from "../storage";

const Q = {
  executions: sql(
    `DELETE FROM flow_execution WHERE started_at < ? AND (
       (queue = 'outbound' AND queue_row_id IN (SELECT id FROM outbound_queue WHERE status IN ('processed', 'skipped') AND finished_at < ?))
       OR (queue = 'inbound' AND queue_row_id IN (SELECT sequence FROM inbound_queue WHERE status IN ('processed', 'skipped') AND finished_at < ?)))`,
  ),
  outbound: sql(
    "DELETE FROM outbound_queue WHERE status IN ('processed', 'skipped') AND coalesce(finished_at, created_at) < ?",
  ),
  inbound: sql(
    "DELETE FROM inbound_queue WHERE status IN ('processed', 'skipped') AND coalesce(finished_at, received_at) < ?",
  ),
  // the derived table needs its alias on PostgreSQL
  oldest: sql<{ at: number | null }>(
    `SELECT min(at) AS at FROM (SELECT (SELECT created_at FROM outbound_queue ORDER BY id LIMIT 1) AS at
       UNION ALL SELECT (SELECT received_at FROM inbound_queue ORDER BY sequence LIMIT 1)) AS firsts`,
  ),
};

export interface Purged {
  outbound: number;
  inbound: number;
  keys: number;
}

/** See purgeFinishedRows; a plan, for one transaction. */
export function* purgeFinishedRowsPlan(retentionMs: number, now: number): Plan<Purged> {
  const before = now - retentionMs;
  yield* run(Q.executions, before, before, before);
  const outbound = (yield* run(Q.outbound, before)).changes;
  const inbound = (yield* run(Q.inbound, before)).changes;
  // A key is written by a run of a row that was queued before it: keys older than the oldest
  // row still queued (ids and sequences grow with time) belong to purged rows only.
  const oldest = (yield* get(Q.oldest))?.at;
  const keys = yield* idempotencyKeyPlans.purgeBefore(Math.min(before, oldest ?? before));
  return { outbound, inbound, keys };
}

/**
 * Purges finished queue rows (processed, skipped) older than the retention, with their flow
 * executions (SPEC 3.9), in one transaction. Rows that are ready or in error are never purged
 * here. The idempotency keys of flows' side effects go too, once no row that could run again is
 * as old as they are (they were never purged before: about 250 bytes per synced record on a receiver).
 */
export function purgeFinishedRows(storage: Storage, retentionMs: number, now = Date.now()): Promise<Purged> {
  return storage.transaction(() => purgeFinishedRowsPlan(retentionMs, now));
}

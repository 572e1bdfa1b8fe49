import type { Db } from "../db/client";

/**
 * Purges finished queue rows (processed, skipped) older than the retention, with their flow
 * executions (SPEC 3.9). Rows that are ready or in error are never purged here. The idempotency
 * keys of flows' side effects go too, once no row that could run again is as old as they are
 * (they were never purged before: about 250 bytes per synced record on a receiver).
 */
export function purgeFinishedRows(
  db: Db,
  retentionMs: number,
  now = Date.now(),
): { outbound: number; inbound: number; keys: number } {
  const before = now - retentionMs;
  const c = db.$client;
  return c.transaction(() => {
    c.prepare(
      `DELETE FROM flow_execution WHERE started_at < ? AND (
         (queue = 'outbound' AND queue_row_id IN (SELECT id FROM outbound_queue WHERE status IN ('processed', 'skipped') AND finished_at < ?))
         OR (queue = 'inbound' AND queue_row_id IN (SELECT sequence FROM inbound_queue WHERE status IN ('processed', 'skipped') AND finished_at < ?)))`,
    ).run(before, before, before);
    const outbound = c
      .prepare(
        "DELETE FROM outbound_queue WHERE status IN ('processed', 'skipped') AND coalesce(finished_at, created_at) < ?",
      )
      .run(before).changes;
    const inbound = c
      .prepare(
        "DELETE FROM inbound_queue WHERE status IN ('processed', 'skipped') AND coalesce(finished_at, received_at) < ?",
      )
      .run(before).changes;
    // A key is written by a run of a row that was queued before it: keys older than the oldest
    // row still queued (ids and sequences grow with time) belong to purged rows only.
    const oldest = c
      .prepare<[], { at: number | null }>(
        `SELECT min(at) AS at FROM (SELECT (SELECT created_at FROM outbound_queue ORDER BY id LIMIT 1) AS at
           UNION ALL SELECT (SELECT received_at FROM inbound_queue ORDER BY sequence LIMIT 1))`,
      )
      .get()?.at;
    const keys = c
      .prepare("DELETE FROM idempotency_key WHERE created_at < ?")
      .run(Math.min(before, oldest ?? before)).changes;
    return { outbound, inbound, keys };
  })();
}

import type { Db } from "../db/client";

/**
 * Purges finished queue rows (processed, skipped) older than the retention, with their flow
 * executions (SPEC 3.9). Rows that are ready or in error are never purged here.
 */
export function purgeFinishedRows(
  db: Db,
  retentionMs: number,
  now = Date.now(),
): { outbound: number; inbound: number } {
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
    return { outbound, inbound };
  })();
}

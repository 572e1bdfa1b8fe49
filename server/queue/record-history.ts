import type { Db } from "../db/client";

export interface QueueHistoryRow {
  id: number;
  status: string;
  processEvent: string;
  remoteSystemId: string;
  operation: string;
  attempts: number;
  lastError: string | null;
  executionId: string | null;
  at: number;
}

/**
 * A record's queue rows, newest first (the Sync panel of a record form). Outbound rows name the
 * record by its sys_id; inbound rows name it through its local correlation ids.
 */
export function queueHistoryOfRecord(
  db: Db,
  record: { table: string; sysId: string; correlationIds: string[] },
  limit: number,
): { outbound: QueueHistoryRow[]; inbound: QueueHistoryRow[] } {
  const c = db.$client;
  const outbound = c
    .prepare(
      `SELECT id, status, process_event AS processEvent, remote_system_id AS remoteSystemId, operation, attempts,
         last_error AS lastError, flow_execution_id AS executionId, created_at AS at FROM outbound_queue
       WHERE table_name = ? AND record_sys_id = ? ORDER BY id DESC LIMIT ?`,
    )
    .all(record.table, record.sysId, limit) as QueueHistoryRow[];
  const ids = record.correlationIds;
  const inbound =
    ids.length === 0
      ? []
      : (c
          .prepare(
            `SELECT sequence AS id, status, process_event AS processEvent, remote_system_id AS remoteSystemId, operation,
               attempts, last_error AS lastError, flow_execution_id AS executionId, received_at AS at FROM inbound_queue
             WHERE local_correlation_id IN (${ids.map(() => "?").join(", ")}) ORDER BY sequence DESC LIMIT ?`,
          )
          .all(...ids, limit) as QueueHistoryRow[]);
  return { outbound, inbound };
}

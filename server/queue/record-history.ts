import { all, type Plan, type Query, type Storage, sql } from "../storage";

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

// Aliases quoted: PostgreSQL folds unquoted names to lower case (SQLite keeps them as written).
const Q = {
  outbound: sql<QueueHistoryRow>(
    `SELECT id, status, process_event AS "processEvent", remote_system_id AS "remoteSystemId", operation, attempts,
         last_error AS "lastError", flow_execution_id AS "executionId", created_at AS at FROM outbound_queue
       WHERE table_name = ? AND record_sys_id = ? ORDER BY id DESC LIMIT ?`,
  ),
};

// One statement per number of correlation ids (a record has a few: one per remote system).
const inboundQueries = new Map<number, Query<QueueHistoryRow>>();
function inboundQuery(ids: number): Query<QueueHistoryRow> {
  let query = inboundQueries.get(ids);
  if (!query) {
    query = sql<QueueHistoryRow>(
      `SELECT sequence AS id, status, process_event AS "processEvent", remote_system_id AS "remoteSystemId", operation,
               attempts, last_error AS "lastError", flow_execution_id AS "executionId", received_at AS at FROM inbound_queue
             WHERE local_correlation_id IN (${Array.from({ length: ids }, () => "?").join(", ")}) ORDER BY sequence DESC LIMIT ?`,
    );
    inboundQueries.set(ids, query);
  }
  return query;
}

/** See queueHistoryOfRecord; a plan. */
export function* queueHistoryPlan(
  record: { table: string; sysId: string; correlationIds: string[] },
  limit: number,
): Plan<{ outbound: QueueHistoryRow[]; inbound: QueueHistoryRow[] }> {
  const outbound = yield* all(Q.outbound, record.table, record.sysId, limit);
  const ids = record.correlationIds;
  const inbound = ids.length === 0 ? [] : yield* all(inboundQuery(ids.length), ...ids, limit);
  return { outbound, inbound };
}

/**
 * A record's queue rows, newest first (the Sync panel of a record form). Outbound rows name the
 * record by its sys_id; inbound rows name it through its local correlation ids.
 */
export function queueHistoryOfRecord(
  storage: Storage,
  record: { table: string; sysId: string; correlationIds: string[] },
  limit: number,
): Promise<{ outbound: QueueHistoryRow[]; inbound: QueueHistoryRow[] }> {
  return storage.read(queueHistoryPlan(record, limit));
}

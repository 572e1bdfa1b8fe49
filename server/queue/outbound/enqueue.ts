import { afterCommit, dialect, get, type Plan, run, type Storage, sql } from "../../storage";
import { newMessageId } from "../../util/ids";
import { storePayload } from "../payload-codec";

export interface OutboundRowInput {
  processEvent: string;
  remoteSystemId: string;
  captureDefinitionId: string | null;
  flowBindingId: string;
  operation: string;
  tableName: string;
  recordSysId: string;
  payload: unknown;
  domain: string;
  warning?: string | null;
  /** W3C trace context of the write that captured the change (JSON), when tracing is on. */
  traceContext?: string | null;
  /** The initial sync job that enqueued the row (issue 17); live changes have none. */
  initialSyncJobId?: string | null;
}

const Q = {
  // PostgreSQL: two processes writing the same record at once would read the same max below; the
  // lane's lock (until the transaction ends) makes the second wait for the first one's row.
  laneLock: sql("SELECT pg_advisory_xact_lock(hashtext(?))"),
  nextSeq: sql<{ seq: number }>(
    "SELECT coalesce(max(lane_seq), 0) + 1 AS seq FROM outbound_queue WHERE lane_key = ?",
  ),
  // SQLite: the rowid from run() (cheaper than RETURNING on this hot path); PostgreSQL: RETURNING.
  insert: sql<{ id: number }>(
    `INSERT INTO outbound_queue (message_id, status, process_event, remote_system_id, capture_definition_id,
       flow_binding_id, operation, table_name, record_sys_id, lane_seq, payload, next_attempt_at,
       retry_history, created_at, domain, warning, trace_context, initial_sync_job_id)
     VALUES (?, 'ready', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', ?, ?, ?, ?, ?)`,
  ),
};
const insertReturning = sql<{ id: number }>(`${Q.insert.postgres} RETURNING id`);

/**
 * One outbound row, last of its lane; its id. Runs inside the caller's transaction (the record
 * write that captured the change), which must be a transaction on PostgreSQL (the lane's lock
 * lasts until its end).
 */
export function* enqueuePlan(row: OutboundRowInput, now = Date.now()): Plan<number> {
  const laneKey = `${row.remoteSystemId}:${row.recordSysId}`;
  const pg = (yield* dialect()) === "postgres";
  if (pg) yield* run(Q.laneLock, laneKey);
  const seq = (yield* get(Q.nextSeq, laneKey))?.seq ?? 1;
  const values = [
    newMessageId(now),
    row.processEvent,
    row.remoteSystemId,
    row.captureDefinitionId,
    row.flowBindingId,
    row.operation,
    row.tableName,
    row.recordSysId, // lane_key is computed from remote and record (server/db/schema/queues.ts)
    seq,
    storePayload(row.payload, pg ? "postgres" : "sqlite"),
    now,
    now,
    row.domain,
    row.warning ?? null,
    row.traceContext ?? null,
    row.initialSyncJobId ?? null,
  ];
  if (pg) return Number((yield* get(insertReturning, ...values))?.id);
  return Number((yield* run(Q.insert, ...values)).lastInsertRowid);
}

/**
 * Inserts outbound rows inside the caller's transaction and wakes the workers of every process
 * once it committed (one wake-up per turn of the event loop, however many rows).
 */
export class OutboundEnqueuer {
  private wakePending = false;

  constructor(private readonly storage: Storage) {}

  /** See enqueuePlan; the workers are woken after the caller's transaction committed. */
  *enqueuePlan(row: OutboundRowInput): Plan<number> {
    const id = yield* enqueuePlan(row);
    yield* afterCommit(this.wakeSoon);
    return id;
  }

  // A microtask, not a setImmediate: every afterCommit of the transaction is already queued
  // when the first one runs, so this still signals once per commit, and the worker (which
  // defers its claim to setImmediate itself) claims one turn of the event loop sooner. The
  // extra turn was 0.2-0.9 ms of a single change's way to the peer at idle.
  private readonly wakeSoon = (): void => {
    if (this.wakePending) return;
    this.wakePending = true;
    queueMicrotask(() => {
      this.wakePending = false;
      this.storage.signals.notify("outbound");
    });
  };
}

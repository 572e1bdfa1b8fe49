import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

// The outbound and inbound queues (SPEC 3.2, 3.4). A lane is the ordered stream of one
// record to or from one remote system; rows of a lane run strictly in lane_seq order.

const statuses = ["ready", "processing", "processed", "error", "skipped"] as const;

/**
 * The claim-path indexes hold only the rows not processed (issue 14): nearly every row ends
 * processed and stays for the retention period, and an entry per row in each of them cost ~60
 * bytes per synced record per index. SQLite uses a partial index only when the query's WHERE
 * holds the index's term word for word, so every query meant to walk them says
 * `status <> 'processed'` besides its own status condition (server/queue/claim-indexes.test.ts).
 */
const unfinished = sql`status <> 'processed'`;

export const outboundQueue = sqliteTable(
  "outbound_queue",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    messageId: text("message_id").notNull().unique(), // stable across retries: the receiver dedups by it
    status: text("status", { enum: statuses }).notNull().default("ready"),
    processEvent: text("process_event").notNull(), // event name (travels on the wire)
    remoteSystemId: text("remote_system_id").notNull(),
    captureDefinitionId: text("capture_definition_id"),
    flowBindingId: text("flow_binding_id").notNull(),
    operation: text("operation").notNull(),
    tableName: text("table_name").notNull(),
    recordSysId: text("record_sys_id").notNull(),
    // remote system id + ":" + record sys_id, computed, not stored (issue 14: 65 bytes a row)
    laneKey: text("lane_key")
      .notNull()
      .generatedAlwaysAs(sql`remote_system_id || ':' || record_sys_id`, { mode: "virtual" }),
    laneSeq: integer("lane_seq").notNull(),
    payload: text("payload").notNull(), // JSON of the captured payload (SPEC 3.1)
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at").notNull(),
    retryHistory: text("retry_history", { mode: "json" }).notNull().$type<RetryAttempt[]>(),
    lastError: text("last_error"),
    // "connection" errors are retried again once the remote is re-activated; "data" errors wait for a person.
    errorKind: text("error_kind", { enum: ["connection", "data"] }),
    warning: text("warning"), // something left out while the row still went through (e.g. a refused attachment)
    flowExecutionId: text("flow_execution_id"),
    flowVersion: integer("flow_version"), // version the row first ran with
    createdAt: integer("created_at").notNull(),
    startedAt: integer("started_at"), // first claim: time in queue = startedAt - createdAt
    finishedAt: integer("finished_at"),
    processingMs: integer("processing_ms"),
    domain: text("domain").notNull().default("global"),
    traceContext: text("trace_context"), // W3C trace context (JSON) of the write that captured the change
    // The process working a `processing` row, and until when its lease runs (issue 13): on
    // PostgreSQL a row whose lease ran out (its process died) goes back to `ready`.
    claimedBy: text("claimed_by"),
    leaseUntil: integer("lease_until"),
    // The initial sync job that enqueued the row (issue 17); null for live changes, which are
    // claimed first.
    initialSyncJobId: text("initial_sync_job_id"),
  },
  (t) => [
    // Claiming walks a remote's ready rows in id order and stops after the rows it needs.
    index("outbound_claim").on(t.remoteSystemId, t.status, t.id).where(unfinished),
    index("outbound_due").on(t.remoteSystemId, t.status, t.nextAttemptAt).where(unfinished),
    uniqueIndex("outbound_lane").on(t.laneKey, t.laneSeq),
    index("outbound_record").on(t.tableName, t.recordSysId),
    index("outbound_initial_sync")
      .on(t.initialSyncJobId, t.status)
      .where(sql`initial_sync_job_id IS NOT NULL`),
  ],
);

export interface RetryAttempt {
  at: number;
  outcome: "retry" | "error" | "processed";
  error?: string;
}

export const inboundQueue = sqliteTable(
  "inbound_queue",
  {
    sequence: integer("sequence").primaryKey({ autoIncrement: true }), // ascending at receipt
    messageId: text("message_id").notNull(),
    remoteSystemId: text("remote_system_id").notNull(),
    processEvent: text("process_event").notNull(),
    operation: text("operation").notNull(),
    localCorrelationId: text("local_correlation_id"), // = sender's receiver_correlation_id, or assigned
    remoteCorrelationId: text("remote_correlation_id").notNull(), // = sender_correlation_id
    // remote system id + ":" + remote correlation id, computed, not stored (as in outbound_queue)
    laneKey: text("lane_key")
      .notNull()
      .generatedAlwaysAs(sql`remote_system_id || ':' || remote_correlation_id`, { mode: "virtual" }),
    laneSeq: integer("lane_seq").notNull(), // the sender's lane sequence
    payload: text("payload").notNull(),
    status: text("status", { enum: statuses }).notNull().default("ready"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at").notNull().default(0), // a transient failure waits until then
    retryHistory: text("retry_history", { mode: "json" }).notNull().default([]).$type<RetryAttempt[]>(),
    lastError: text("last_error"),
    // "transient" errors used up the inbound retry policy (timeouts, busy or full storage, sender
    // unreachable for attachments); "data" errors will not go away by retrying.
    errorKind: text("error_kind", { enum: ["transient", "data"] }),
    warning: text("warning"), // something left out while the row still went through (e.g. a refused attachment)
    flowExecutionId: text("flow_execution_id"),
    receivedAt: integer("received_at").notNull(),
    startedAt: integer("started_at"),
    finishedAt: integer("finished_at"),
    processingMs: integer("processing_ms"),
    domain: text("domain").notNull().default("global"),
    traceContext: text("trace_context"), // W3C trace context (JSON) of the accept, so the inbound flow continues the trace
    claimedBy: text("claimed_by"), // as in outbound_queue: the process working the row, and its lease
    leaseUntil: integer("lease_until"),
    // The sender's initial sync job (issue 17); null for live changes, which are claimed first.
    initialSyncJobId: text("initial_sync_job_id"),
  },
  (t) => [
    uniqueIndex("inbound_message").on(t.remoteSystemId, t.messageId), // dedup in the storing transaction
    index("inbound_claim").on(t.remoteSystemId, t.status, t.sequence).where(unfinished),
    index("inbound_status").on(t.status).where(unfinished),
    index("inbound_lane").on(t.laneKey, t.sequence),
  ],
);

// Who reprocessed or skipped which row, and when (SPEC 3.2: both are logged).
export const queueAction = sqliteTable(
  "queue_action",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    queue: text("queue", { enum: ["outbound", "inbound"] }).notNull(),
    rowId: integer("row_id").notNull(),
    action: text("action").notNull(), // reprocess | skip | retry | error | processed
    user: text("user").notNull(),
    detail: text("detail"),
    at: integer("at").notNull(),
  },
  (t) => [index("queue_action_row").on(t.queue, t.rowId)],
);

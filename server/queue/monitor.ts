import { all, get, type Plan, type Query, type Storage, sql } from "../storage";
import type { SyncConfig } from "../sync/config-store";
import type { QueueName } from "./operations";
import { decodePayload, type StoredPayload } from "./payload-codec";

// Read model of the live queue monitors (SPEC 6): both queues in one row shape, filtered by
// status, remote system, process event and time, each waiting row with the reason it waits.

export const queueStatuses = ["ready", "processing", "processed", "error", "skipped"] as const;
export type QueueStatus = (typeof queueStatuses)[number];

export interface MonitorFilter {
  queue: QueueName;
  statuses?: QueueStatus[];
  remoteId?: string;
  processEvent?: string;
  /** Created (outbound) or received (inbound) at or after / before, epoch ms. */
  from?: number;
  to?: number;
  /** Rows with an id below this one (the next page). */
  before?: number;
  /** Rows whose last flow execution failed at this node (the live canvas's error count links here). */
  failedAt?: { flowId: string; version?: number | undefined; nodeId: string } | undefined;
  limit: number;
}

export interface MonitorRow {
  id: number;
  queue: QueueName;
  status: QueueStatus;
  processEvent: string;
  remoteSystemId: string;
  remoteName: string;
  operation: string;
  /** Outbound: the local record; inbound: the remote correlation id (the local one once known). */
  tableName: string | null;
  recordSysId: string | null;
  correlation: string | null;
  laneKey: string;
  laneSeq: number;
  attempts: number;
  lastError: string | null;
  executionId: string | null;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  processingMs: number | null;
  nextAttemptAt: number | null;
  /** Why a ready (or error) row is not moving, in words; null when it is not waiting. */
  waiting: string | null;
}

interface RawRow {
  id: number;
  status: QueueStatus;
  process_event: string;
  remote_system_id: string;
  operation: string;
  table_name: string | null;
  record_sys_id: string | null;
  correlation: string | null;
  lane_key: string;
  lane_seq: number;
  attempts: number;
  last_error: string | null;
  flow_execution_id: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  processing_ms: number | null;
  next_attempt_at: number | null;
  error_kind: string | null;
}

const columns: Record<QueueName, string> = {
  outbound: `id, status, process_event, remote_system_id, operation, table_name, record_sys_id, NULL AS correlation,
    lane_key, lane_seq, attempts, last_error, flow_execution_id, created_at, started_at, finished_at, processing_ms,
    next_attempt_at, error_kind`,
  inbound: `sequence AS id, status, process_event, remote_system_id, operation, NULL AS table_name, NULL AS record_sys_id,
    coalesce(local_correlation_id, remote_correlation_id) AS correlation, lane_key, lane_seq, attempts, last_error,
    flow_execution_id, received_at AS created_at, started_at, finished_at, processing_ms, next_attempt_at,
    error_kind`,
};
const tableOf = { outbound: "outbound_queue", inbound: "inbound_queue" } as const;
const keyOf = { outbound: "id", inbound: "sequence" } as const;
const timeOf = { outbound: "created_at", inbound: "received_at" } as const;

interface ExtraRow {
  payload: StoredPayload;
  retry_history: string;
  message_id: string;
  flow_version: number | null;
  local_correlation_id?: string | null;
  remote_correlation_id?: string | null;
}
type ActionRow = { action: string; user: string; detail: string | null; at: number };

const byQueue = <R>(make: (q: QueueName) => Query<R>): Record<QueueName, Query<R>> => ({
  outbound: make("outbound"),
  inbound: make("inbound"),
});
const Q = {
  row: byQueue((q) => sql<RawRow>(`SELECT ${columns[q]} FROM ${tableOf[q]} WHERE ${keyOf[q]} = ?`)),
  extra: {
    outbound: sql<ExtraRow>(
      "SELECT payload, retry_history, message_id, flow_version, capture_definition_id FROM outbound_queue WHERE id = ?",
    ),
    inbound: sql<ExtraRow>(
      "SELECT payload, retry_history, message_id, NULL AS flow_version, NULL AS capture_definition_id, local_correlation_id, remote_correlation_id FROM inbound_queue WHERE sequence = ?",
    ),
  },
  // "user" quoted: a reserved word on PostgreSQL
  actions: sql<ActionRow>(
    'SELECT action, "user", detail, at FROM queue_action WHERE queue = ? AND row_id = ? ORDER BY id DESC',
  ),
  // PostgreSQL sorts text by the database's collation unless told: byte order, as SQLite
  events: byQueue((q) =>
    sql<{ e: string }>({
      sqlite: `SELECT DISTINCT process_event AS e FROM ${tableOf[q]} ORDER BY 1`,
      postgres: `SELECT DISTINCT process_event COLLATE "C" AS e FROM ${tableOf[q]} ORDER BY 1`,
    }),
  ),
  blocker: byQueue((q) =>
    sql<{ id: number; status: string }>(
      `SELECT ${keyOf[q]} AS id, status FROM ${tableOf[q]} WHERE lane_key = ? AND ${q === "outbound" ? "lane_seq < ?" : "sequence < ?"}
         AND status NOT IN ('processed', 'skipped') ORDER BY ${keyOf[q]} LIMIT 1`,
    ),
  ),
};

// A list's statement depends on the filters given (a few dozen shapes): each is made once and kept.
const lists = new Map<string, Query<RawRow>>();
function listQuery(text: string): Query<RawRow> {
  let query = lists.get(text);
  if (!query) {
    query = sql<RawRow>(text);
    lists.set(text, query);
  }
  return query;
}

export class QueueMonitor {
  constructor(
    private readonly storage: Storage,
    private readonly config: SyncConfig,
  ) {}

  list(filter: MonitorFilter, now = Date.now()): Promise<{ rows: MonitorRow[]; more: boolean }> {
    return this.storage.read(this.listPlan(filter, now));
  }

  row(queue: QueueName, id: number, now = Date.now()) {
    return this.storage.read(this.rowPlan(queue, id, now));
  }

  /** Process event names seen in a queue, for the filter. */
  async events(queue: QueueName): Promise<string[]> {
    return (await this.storage.read(all(Q.events[queue]))).map((r) => r.e);
  }

  private *listPlan(filter: MonitorFilter, now: number): Plan<{ rows: MonitorRow[]; more: boolean }> {
    const q = filter.queue;
    const where: string[] = [];
    const params: Array<string | number> = [];
    if (filter.statuses?.length) {
      where.push(`status IN (${filter.statuses.map(() => "?").join(", ")})`);
      params.push(...filter.statuses);
      // Rows not processed are in the partial claim indexes (server/db/schema/queues.ts).
      if (!filter.statuses.includes("processed")) where.push("status <> 'processed'");
    }
    if (filter.remoteId) {
      where.push("remote_system_id = ?");
      params.push(filter.remoteId);
    }
    if (filter.processEvent) {
      where.push("process_event = ?");
      params.push(filter.processEvent);
    }
    if (filter.from !== undefined) {
      where.push(`${timeOf[q]} >= ?`);
      params.push(filter.from);
    }
    if (filter.to !== undefined) {
      where.push(`${timeOf[q]} < ?`);
      params.push(filter.to);
    }
    if (filter.before !== undefined) {
      where.push(`${keyOf[q]} < ?`);
      params.push(filter.before);
    }
    if (filter.failedAt) {
      // The row references its last execution; the execution records the node it failed at.
      const f = filter.failedAt;
      where.push(
        `EXISTS (SELECT 1 FROM flow_execution e WHERE e.id = flow_execution_id AND e.flow_id = ? AND e.error_node_id = ?${f.version === undefined ? "" : " AND e.version = ?"})`,
      );
      params.push(f.flowId, f.nodeId, ...(f.version === undefined ? [] : [f.version]));
    }
    const text = `SELECT ${columns[q]} FROM ${tableOf[q]} ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
      ORDER BY ${keyOf[q]} DESC LIMIT ?`;
    const raw = yield* all(listQuery(text), ...params, filter.limit + 1);
    const rows: MonitorRow[] = [];
    for (const r of raw.slice(0, filter.limit)) rows.push(yield* this.toRow(q, r, now));
    return { rows, more: raw.length > filter.limit };
  }

  private *rowPlan(queue: QueueName, id: number, now: number) {
    const raw = yield* get(Q.row[queue], id);
    if (!raw) return null;
    const extra = yield* get(Q.extra[queue], id);
    if (!extra) return null; // purged between the two reads (PostgreSQL reads outside a transaction)
    const history = yield* all(Q.actions, queue, id);
    return {
      ...(yield* this.toRow(queue, raw, now)),
      messageId: extra.message_id,
      flowVersion: extra.flow_version,
      localCorrelationId: extra.local_correlation_id ?? null,
      remoteCorrelationId: extra.remote_correlation_id ?? null,
      payload: prettyPayload(extra.payload),
      retryHistory: parseJson<Array<{ at: number; outcome: string; error?: string }>>(
        extra.retry_history,
        [],
      ),
      actions: history,
    };
  }

  private *toRow(queue: QueueName, r: RawRow, now: number): Plan<MonitorRow> {
    const remote = this.config.snapshot().remotesById.get(r.remote_system_id);
    return {
      id: r.id,
      queue,
      status: r.status,
      processEvent: r.process_event,
      remoteSystemId: r.remote_system_id,
      remoteName: remote?.name ?? r.remote_system_id,
      operation: r.operation,
      tableName: r.table_name,
      recordSysId: r.record_sys_id,
      correlation: r.correlation,
      laneKey: r.lane_key,
      laneSeq: r.lane_seq,
      attempts: r.attempts,
      lastError: r.last_error,
      executionId: r.flow_execution_id,
      createdAt: r.created_at,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      processingMs: r.processing_ms,
      nextAttemptAt: r.next_attempt_at,
      waiting: r.status === "ready" || r.status === "error" ? yield* this.whyWaiting(queue, r, now) : null,
    };
  }

  /** SPEC 6: a row that waits says why (remote in error, behind row N, next attempt at T, no flow). */
  private *whyWaiting(queue: QueueName, r: RawRow, now: number): Plan<string | null> {
    const snap = this.config.snapshot();
    const remote = snap.remotesById.get(r.remote_system_id);
    if (r.status === "error") {
      if (r.error_kind === "connection")
        return `Retries exhausted: waits for ${remote?.name ?? "the remote"} to be validated and activated again`;
      if (r.error_kind === "transient")
        return "Retries exhausted: waits for a person to reprocess or skip it";
      return "Failed: waits for a person to reprocess or skip it";
    }
    const state = queue === "outbound" ? remote?.outboundState : remote?.inboundState;
    if (!remote) return "Its remote system no longer exists";
    if (state === "error")
      return `Remote system ${remote.name} is in error${remote.stateMessage ? `: ${remote.stateMessage}` : ""}`;
    if (state === "disabled") return `Remote system ${remote.name} is not active: validate and activate it`;
    const blocker = yield* get(Q.blocker[queue], r.lane_key, queue === "outbound" ? r.lane_seq : r.id);
    if (blocker) return `Behind row ${blocker.id} of its lane (${blocker.status})`;
    if (r.next_attempt_at !== null && r.next_attempt_at > now)
      return `Next attempt at ${new Date(r.next_attempt_at).toISOString()}`;
    if (queue === "inbound") {
      const event = snap.eventsByName.get(r.process_event);
      if (!event || !snap.inboundByKey.has(`${event.id}:${r.remote_system_id}`))
        return `No inbound flow bound for ${r.process_event} from ${remote.name}`;
    }
    return "Waiting for a worker";
  }
}

function parseJson<T>(text: string | null, fallback: T): T {
  try {
    return text ? (JSON.parse(text) as T) : fallback;
  } catch {
    return fallback;
  }
}

function prettyPayload(stored: StoredPayload): string {
  try {
    return JSON.stringify(decodePayload(stored), null, 2);
  } catch {
    return typeof stored === "string" ? stored : "(a stored payload this version cannot read)";
  }
}

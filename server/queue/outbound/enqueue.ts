import { randomUUID } from "node:crypto";
import type { Db } from "../../db/client";
import { done, type Plan } from "../../storage";
import { encodePayload } from "../payload-codec";

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
}

/**
 * Inserts outbound rows inside the caller's transaction and wakes the worker. The wake runs
 * after the synchronous transaction has committed (or rolled back, when it finds nothing).
 */
export class OutboundEnqueuer {
  private readonly sql;
  private wakePending = false;

  constructor(
    db: Db,
    private readonly wake: () => void,
  ) {
    const c = db.$client;
    this.sql = {
      nextSeq: c.prepare<[string], { seq: number }>(
        "SELECT coalesce(max(lane_seq), 0) + 1 AS seq FROM outbound_queue WHERE lane_key = ?",
      ),
      insert: c.prepare(
        `INSERT INTO outbound_queue (message_id, status, process_event, remote_system_id, capture_definition_id,
           flow_binding_id, operation, table_name, record_sys_id, lane_key, lane_seq, payload, next_attempt_at,
           retry_history, created_at, domain, warning, trace_context)
         VALUES (?, 'ready', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', ?, ?, ?, ?)`,
      ),
    };
  }

  /** The enqueue as a step of the caller's plan (capture, in the record's transaction). */
  *enqueuePlan(row: OutboundRowInput): Plan<number> {
    return yield* done(this.enqueue(row)); // SQLite only until the queues run on plans
  }

  enqueue(row: OutboundRowInput): number {
    const laneKey = `${row.remoteSystemId}:${row.recordSysId}`;
    const seq = this.sql.nextSeq.get(laneKey)?.seq ?? 1;
    const now = Date.now();
    const result = this.sql.insert.run(
      randomUUID(),
      row.processEvent,
      row.remoteSystemId,
      row.captureDefinitionId,
      row.flowBindingId,
      row.operation,
      row.tableName,
      row.recordSysId,
      laneKey,
      seq,
      encodePayload(row.payload),
      now,
      now,
      row.domain,
      row.warning ?? null,
      row.traceContext ?? null,
    );
    if (!this.wakePending) {
      this.wakePending = true;
      setImmediate(() => {
        this.wakePending = false;
        this.wake();
      });
    }
    return Number(result.lastInsertRowid);
  }
}

import type { Db } from "../../db/client";
import type { RetryAttempt } from "../../db/schema";

export interface OutboundRow {
  id: number;
  message_id: string;
  status: string;
  process_event: string;
  remote_system_id: string;
  capture_definition_id: string | null;
  flow_binding_id: string;
  operation: string;
  table_name: string;
  record_sys_id: string;
  lane_key: string;
  lane_seq: number;
  payload: string;
  attempts: number;
  next_attempt_at: number;
  retry_history: string;
  last_error: string | null;
  error_kind: "connection" | "data" | null;
  flow_execution_id: string | null;
  trace_context: string | null;
  flow_version: number | null;
  created_at: number;
  started_at: number | null;
  domain: string;
}

export type OutboundResult =
  | {
      id: number;
      kind: "processed";
      executionId: string | null;
      flowVersion: number | null;
      durationMs: number;
    }
  | {
      id: number;
      kind: "retry";
      error: string;
      nextAttemptAt: number;
      executionId: string | null;
      flowVersion: number | null;
      durationMs: number;
    }
  | {
      id: number;
      kind: "error";
      errorKind: "connection" | "data";
      error: string;
      executionId: string | null;
      flowVersion: number | null;
      durationMs: number;
    };

/** The SQL of the outbound queue's state machine (ready → processing → processed | ready | error). */
export class OutboundStore {
  private readonly sql;

  constructor(private readonly db: Db) {
    const c = db.$client;
    this.sql = {
      // Lane heads only: an earlier row of the same lane that is not processed or skipped blocks.
      eligible: c.prepare<[string, number, number], OutboundRow>(
        `SELECT q.* FROM outbound_queue q
         WHERE q.status = 'ready' AND q.remote_system_id = ? AND q.next_attempt_at <= ?
           AND NOT EXISTS (SELECT 1 FROM outbound_queue p WHERE p.lane_key = q.lane_key AND p.lane_seq < q.lane_seq
                           AND p.status NOT IN ('processed', 'skipped'))
         ORDER BY q.id LIMIT ?`,
      ),
      claim: c.prepare<[number, number]>(
        `UPDATE outbound_queue SET status = 'processing', attempts = attempts + 1,
           started_at = coalesce(started_at, ?) WHERE id = ? AND status = 'ready'`,
      ),
      nextDue: c.prepare<[string], { at: number | null }>(
        "SELECT min(next_attempt_at) AS at FROM outbound_queue WHERE status = 'ready' AND remote_system_id = ?",
      ),
      processed: c.prepare(
        `UPDATE outbound_queue SET status = 'processed', finished_at = ?, processing_ms = ?, flow_execution_id = ?,
           flow_version = coalesce(flow_version, ?), last_error = NULL, error_kind = NULL,
           retry_history = json_insert(retry_history, '$[#]', json(?)) WHERE id = ?`,
      ),
      retry: c.prepare(
        `UPDATE outbound_queue SET status = 'ready', next_attempt_at = ?, last_error = ?, flow_execution_id = ?,
           flow_version = coalesce(flow_version, ?), processing_ms = ?,
           retry_history = json_insert(retry_history, '$[#]', json(?)) WHERE id = ?`,
      ),
      error: c.prepare(
        `UPDATE outbound_queue SET status = 'error', error_kind = ?, last_error = ?, flow_execution_id = ?, finished_at = ?,
           flow_version = coalesce(flow_version, ?), processing_ms = ?,
           retry_history = json_insert(retry_history, '$[#]', json(?)) WHERE id = ?`,
      ),
      recover: c.prepare("UPDATE outbound_queue SET status = 'ready' WHERE status = 'processing'"),
      get: c.prepare<[number], OutboundRow>("SELECT * FROM outbound_queue WHERE id = ?"),
      requeueConnectionErrors: c.prepare<[number, string]>(
        `UPDATE outbound_queue SET status = 'ready', attempts = 0, next_attempt_at = ?, error_kind = NULL
         WHERE remote_system_id = ? AND status = 'error' AND error_kind = 'connection'`,
      ),
    };
  }

  /** Rows a crash left in `processing` go back to `ready`; the receiver dedups by message id. */
  recover(): number {
    return this.sql.recover.run().changes;
  }

  /** Claims up to `limit` lane heads of one remote in one transaction. */
  claim(remoteId: string, now: number, limit: number): OutboundRow[] {
    return this.db.$client.transaction(() => {
      const rows = this.sql.eligible.all(remoteId, now, limit);
      for (const row of rows) {
        this.sql.claim.run(now, row.id);
        row.attempts += 1;
        row.started_at ??= now;
      }
      return rows;
    })();
  }

  nextDue(remoteId: string): number | null {
    return this.sql.nextDue.get(remoteId)?.at ?? null;
  }

  /** After Validate and Activate: rows that only failed to connect go again, in lane order. */
  requeueConnectionErrors(remoteId: string, now: number): number {
    return this.sql.requeueConnectionErrors.run(now, remoteId).changes;
  }

  get(id: number): OutboundRow | undefined {
    return this.sql.get.get(id);
  }

  /** Writes many outcomes in one transaction (one fsync for the lot). */
  complete(results: OutboundResult[], now: number): void {
    this.db.$client.transaction(() => {
      for (const r of results) {
        const attempt = (outcome: RetryAttempt["outcome"], error?: string): string =>
          JSON.stringify({ at: now, outcome, ...(error ? { error } : {}) });
        if (r.kind === "processed") {
          this.sql.processed.run(now, r.durationMs, r.executionId, r.flowVersion, attempt("processed"), r.id);
        } else if (r.kind === "retry") {
          this.sql.retry.run(
            r.nextAttemptAt,
            r.error,
            r.executionId,
            r.flowVersion,
            r.durationMs,
            attempt("retry", r.error),
            r.id,
          );
        } else {
          this.sql.error.run(
            r.errorKind,
            r.error,
            r.executionId,
            now,
            r.flowVersion,
            r.durationMs,
            attempt("error", r.error),
            r.id,
          );
        }
      }
    })();
  }
}

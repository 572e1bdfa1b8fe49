import type { Db } from "../../db/client";
import type { RetryAttempt } from "../../db/schema";

export interface InboundRow {
  sequence: number;
  message_id: string;
  remote_system_id: string;
  process_event: string;
  operation: string;
  local_correlation_id: string | null;
  remote_correlation_id: string;
  lane_key: string;
  lane_seq: number;
  payload: string;
  status: string;
  attempts: number;
  next_attempt_at: number;
  retry_history: string;
  last_error: string | null;
  error_kind: "transient" | "data" | null;
  flow_execution_id: string | null;
  trace_context: string | null;
  received_at: number;
  started_at: number | null;
  domain: string;
}

export type InboundResult =
  | {
      sequence: number;
      kind: "processed";
      executionId: string | null;
      durationMs: number;
      warning: string | null;
    }
  | {
      sequence: number;
      kind: "retry";
      error: string;
      nextAttemptAt: number;
      executionId: string | null;
      durationMs: number;
    }
  | {
      sequence: number;
      kind: "error";
      errorKind: "transient" | "data";
      error: string;
      executionId: string | null;
      durationMs: number;
    };

/**
 * The SQL of the inbound queue's state machine: ready → processing → processed | ready (a
 * transient failure, due again at next_attempt_at) | error. A row waiting for its retry is still
 * `ready`, so the rows behind it in its lane keep waiting (order per lane).
 */
export class InboundStore {
  private readonly sql;

  constructor(private readonly db: Db) {
    const c = db.$client;
    this.sql = {
      // Ascending sequence per lane: a row waits while an earlier row of its lane is unfinished.
      eligible: c.prepare<[string, number, number], InboundRow>(
        `SELECT q.* FROM inbound_queue q
         WHERE q.status = 'ready' AND q.remote_system_id = ? AND q.next_attempt_at <= ?
           AND NOT EXISTS (SELECT 1 FROM inbound_queue p WHERE p.lane_key = q.lane_key AND p.sequence < q.sequence
                           AND p.status NOT IN ('processed', 'skipped'))
         ORDER BY q.sequence LIMIT ?`,
      ),
      claim: c.prepare<[number, number]>(
        `UPDATE inbound_queue SET status = 'processing', attempts = attempts + 1, started_at = coalesce(started_at, ?)
         WHERE sequence = ? AND status = 'ready'`,
      ),
      nextDue: c.prepare<[string], { at: number | null }>(
        "SELECT min(next_attempt_at) AS at FROM inbound_queue WHERE status = 'ready' AND remote_system_id = ?",
      ),
      // A first-time success leaves the history alone (the hot path); after retries it records the end.
      processed: c.prepare(
        `UPDATE inbound_queue SET status = 'processed', finished_at = ?, processing_ms = ?, flow_execution_id = ?,
           last_error = NULL, error_kind = NULL, warning = ?,
           retry_history = CASE WHEN attempts > 1 THEN json_insert(retry_history, '$[#]', json(?)) ELSE retry_history END
         WHERE sequence = ?`,
      ),
      retry: c.prepare(
        `UPDATE inbound_queue SET status = 'ready', next_attempt_at = ?, last_error = ?, flow_execution_id = ?,
           processing_ms = ?, retry_history = json_insert(retry_history, '$[#]', json(?)) WHERE sequence = ?`,
      ),
      error: c.prepare(
        `UPDATE inbound_queue SET status = 'error', error_kind = ?, finished_at = ?, processing_ms = ?,
           flow_execution_id = ?, last_error = ?, retry_history = json_insert(retry_history, '$[#]', json(?))
         WHERE sequence = ?`,
      ),
      recover: c.prepare("UPDATE inbound_queue SET status = 'ready' WHERE status = 'processing'"),
      backlog: c.prepare<[], { n: number }>("SELECT count(*) AS n FROM inbound_queue WHERE status = 'ready'"),
    };
  }

  recover(): number {
    return this.sql.recover.run().changes;
  }

  backlog(): number {
    return this.sql.backlog.get()?.n ?? 0;
  }

  /** When the earliest ready row of a remote is due (a row waiting for its retry), or null. */
  nextDue(remoteId: string): number | null {
    return this.sql.nextDue.get(remoteId)?.at ?? null;
  }

  claim(remoteId: string, now: number, limit: number): InboundRow[] {
    return this.db.$client.transaction(() => {
      const rows = this.sql.eligible.all(remoteId, now, limit);
      for (const row of rows) {
        this.sql.claim.run(now, row.sequence);
        row.attempts += 1;
      }
      return rows;
    })();
  }

  complete(results: InboundResult[], now: number): void {
    const attempt = (outcome: RetryAttempt["outcome"], error?: string): string =>
      JSON.stringify({ at: now, outcome, ...(error ? { error } : {}) });
    this.db.$client.transaction(() => {
      for (const r of results) {
        if (r.kind === "processed")
          this.sql.processed.run(
            now,
            r.durationMs,
            r.executionId,
            r.warning,
            attempt("processed"),
            r.sequence,
          );
        else if (r.kind === "retry")
          this.sql.retry.run(
            r.nextAttemptAt,
            r.error,
            r.executionId,
            r.durationMs,
            attempt("retry", r.error),
            r.sequence,
          );
        else
          this.sql.error.run(
            r.errorKind,
            now,
            r.durationMs,
            r.executionId,
            r.error,
            attempt("error", r.error),
            r.sequence,
          );
      }
    })();
  }
}

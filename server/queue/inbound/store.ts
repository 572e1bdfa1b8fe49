import type { Db } from "../../db/client";

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
  last_error: string | null;
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
  | { sequence: number; kind: "error"; error: string; executionId: string | null; durationMs: number };

/** The SQL of the inbound queue's state machine (ready → processing → processed | error). */
export class InboundStore {
  private readonly sql;

  constructor(private readonly db: Db) {
    const c = db.$client;
    this.sql = {
      // Ascending sequence per lane: a row waits while an earlier row of its lane is unfinished.
      eligible: c.prepare<[string, number], InboundRow>(
        `SELECT q.* FROM inbound_queue q
         WHERE q.status = 'ready' AND q.remote_system_id = ?
           AND NOT EXISTS (SELECT 1 FROM inbound_queue p WHERE p.lane_key = q.lane_key AND p.sequence < q.sequence
                           AND p.status NOT IN ('processed', 'skipped'))
         ORDER BY q.sequence LIMIT ?`,
      ),
      claim: c.prepare<[number, number]>(
        `UPDATE inbound_queue SET status = 'processing', attempts = attempts + 1, started_at = coalesce(started_at, ?)
         WHERE sequence = ? AND status = 'ready'`,
      ),
      processed: c.prepare(
        `UPDATE inbound_queue SET status = 'processed', finished_at = ?, processing_ms = ?, flow_execution_id = ?,
           last_error = NULL, warning = ? WHERE sequence = ?`,
      ),
      error: c.prepare(
        `UPDATE inbound_queue SET status = 'error', finished_at = ?, processing_ms = ?, flow_execution_id = ?,
           last_error = ? WHERE sequence = ?`,
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

  claim(remoteId: string, now: number, limit: number): InboundRow[] {
    return this.db.$client.transaction(() => {
      const rows = this.sql.eligible.all(remoteId, limit);
      for (const row of rows) {
        this.sql.claim.run(now, row.sequence);
        row.attempts += 1;
      }
      return rows;
    })();
  }

  complete(results: InboundResult[], now: number): void {
    this.db.$client.transaction(() => {
      for (const r of results) {
        if (r.kind === "processed")
          this.sql.processed.run(now, r.durationMs, r.executionId, r.warning, r.sequence);
        else this.sql.error.run(now, r.durationMs, r.executionId, r.error, r.sequence);
      }
    })();
  }
}

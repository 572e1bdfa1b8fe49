import { idempotencyKeyPlans } from "../../idempotency/idempotency-keys";
import {
  all,
  dialect,
  get,
  type Plan,
  type RidingWrite,
  run,
  type Storage,
  sql,
  transactionWith,
} from "../../storage";
import { attemptJson, type ClaimOptions, LEASE_MS, PROCESS_ID, withAppend } from "../claims";
import type { StoredPayload } from "../payload-codec";

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
  payload: StoredPayload;
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
  /** The process that claimed the row last, and until when its lease runs (issue 13). */
  claimed_by?: string | null;
  lease_until?: number | null;
  /** The sender's initial sync job the message belongs to (issue 17); null for a live change. */
  initial_sync_job_id?: string | null;
}

export type InboundResult =
  | {
      sequence: number;
      kind: "processed";
      executionId: string | null;
      durationMs: number;
      warning: string | null;
      /** Idempotency keys of its run's side effects, forgotten with the mark (server/runner/ports/scope.ts). */
      keysUsed?: readonly string[];
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

// Ascending sequence per lane: a row waits while an earlier row of its lane is unfinished.
const LANE_HEAD = `q.status = 'ready' AND q.status <> 'processed' AND q.remote_system_id = ? AND q.next_attempt_at <= ?
  AND NOT EXISTS (SELECT 1 FROM inbound_queue p WHERE p.lane_key = q.lane_key AND p.sequence < q.sequence
                  AND p.status NOT IN ('processed', 'skipped'))`;

// Live changes before the messages of an initial sync job (issue 17), as on the outbound side.
const LIVE = "q.initial_sync_job_id IS NULL";
const JOB = "q.initial_sync_job_id IS NOT NULL";
const eligible = (kind: string) =>
  sql<InboundRow>(
    `SELECT q.* FROM inbound_queue q WHERE ${LANE_HEAD} AND ${kind} ORDER BY q.sequence LIMIT ?`,
  );
// PostgreSQL (several processes): heads being claimed by another process are skipped, the rows
// behind them wait; one statement claims the lot.
const claimSkipLocked = (kind: string) =>
  sql<InboundRow>(
    `WITH picked AS MATERIALIZED (
       SELECT q.sequence FROM inbound_queue q WHERE ${LANE_HEAD} AND ${kind} ORDER BY q.sequence LIMIT ? FOR UPDATE OF q SKIP LOCKED)
     UPDATE inbound_queue SET status = 'processing', attempts = attempts + 1, started_at = coalesce(started_at, ?),
       claimed_by = ?, lease_until = ?
     FROM picked WHERE inbound_queue.sequence = picked.sequence RETURNING inbound_queue.*`,
  );

const Q = {
  // SQLite (one process): read the heads, then claim them in the same transaction.
  eligibleLive: eligible(LIVE),
  eligibleJob: eligible(JOB),
  claim: sql(
    `UPDATE inbound_queue SET status = 'processing', attempts = attempts + 1, started_at = coalesce(started_at, ?),
       claimed_by = ?, lease_until = ? WHERE sequence = ? AND status = 'ready'`,
  ),
  claimLive: claimSkipLocked(LIVE),
  claimJob: claimSkipLocked(JOB),
  nextDue: sql<{ at: number | null }>(
    "SELECT min(next_attempt_at) AS at FROM inbound_queue WHERE status = 'ready' AND status <> 'processed' AND remote_system_id = ?",
  ),
  // Outcomes land only on rows the writer still holds (see outbound). A first-time success leaves
  // the history alone (the hot path); after retries it records the end.
  processed: sql(
    withAppend(
      (
        append,
      ) => `UPDATE inbound_queue SET status = 'processed', finished_at = ?, processing_ms = ?, flow_execution_id = ?,
         last_error = NULL, error_kind = NULL, warning = ?,
         retry_history = CASE WHEN attempts > 1 THEN ${append} ELSE retry_history END
       WHERE sequence = ? AND claimed_by = ?`,
    ),
  ),
  retry: sql(
    withAppend(
      (
        append,
      ) => `UPDATE inbound_queue SET status = 'ready', next_attempt_at = ?, last_error = ?, flow_execution_id = ?,
         processing_ms = ?, retry_history = ${append} WHERE sequence = ? AND claimed_by = ?`,
    ),
  ),
  error: sql(
    withAppend(
      (
        append,
      ) => `UPDATE inbound_queue SET status = 'error', error_kind = ?, finished_at = ?, processing_ms = ?,
         flow_execution_id = ?, last_error = ?, retry_history = ${append}
       WHERE sequence = ? AND claimed_by = ?`,
    ),
  ),
  recover: sql(
    "UPDATE inbound_queue SET status = 'ready' WHERE status = 'processing' AND status <> 'processed'",
  ),
  // Along the inbound_status index: rows processing are few.
  sweep: sql(
    `UPDATE inbound_queue SET status = 'ready', claimed_by = NULL, lease_until = NULL
     WHERE status = 'processing' AND status <> 'processed' AND coalesce(lease_until, 0) < ?`,
  ),
  renew: sql(
    "UPDATE inbound_queue SET lease_until = ? WHERE status = 'processing' AND status <> 'processed' AND claimed_by = ?",
  ),
  backlog: sql<{ n: number }>(
    "SELECT count(*) AS n FROM inbound_queue WHERE status = 'ready' AND status <> 'processed'",
  ),
};

/**
 * The inbound queue's state machine as plans: ready → processing → processed | ready (a
 * transient failure, due again at next_attempt_at) | error. A row waiting for its retry is still
 * `ready`, so the rows behind it in its lane keep waiting (order per lane).
 */
export const inboundPlans = {
  /**
   * Claims up to `limit` lane heads of one remote for `processId`, live changes first, then at
   * most `jobLimit` messages of initial sync jobs; run it in a transaction.
   */
  *claim(
    remoteId: string,
    now: number,
    limit: number,
    processId: string,
    leaseUntil: number,
    jobLimit = limit,
  ): Plan<InboundRow[]> {
    if ((yield* dialect()) === "postgres") {
      const rows = yield* all(Q.claimLive, remoteId, now, limit, now, processId, leaseUntil);
      const jobs = Math.min(limit - rows.length, jobLimit);
      if (jobs > 0) rows.push(...(yield* all(Q.claimJob, remoteId, now, jobs, now, processId, leaseUntil)));
      return rows.sort((a, b) => a.sequence - b.sequence);
    }
    const rows = yield* all(Q.eligibleLive, remoteId, now, limit);
    const jobs = Math.min(limit - rows.length, jobLimit);
    if (jobs > 0) rows.push(...(yield* all(Q.eligibleJob, remoteId, now, jobs)));
    for (const row of rows) {
      yield* run(Q.claim, now, processId, leaseUntil, row.sequence);
      row.status = "processing";
      row.attempts += 1;
      row.started_at ??= now;
      row.claimed_by = processId;
      row.lease_until = leaseUntil;
    }
    return rows;
  },

  /** Writes outcomes of rows `processId` holds; how many landed. */
  *complete(results: InboundResult[], now: number, processId: string): Plan<number> {
    let written = 0;
    for (const r of results) {
      let changed: number;
      if (r.kind === "processed") {
        changed = (yield* run(
          Q.processed,
          now,
          r.durationMs,
          r.executionId,
          r.warning,
          attemptJson(now, "processed"),
          r.sequence,
          processId,
        )).changes;
        if (changed > 0 && r.keysUsed) yield* idempotencyKeyPlans.forget(r.keysUsed);
      } else if (r.kind === "retry")
        changed = (yield* run(
          Q.retry,
          r.nextAttemptAt,
          r.error,
          r.executionId,
          r.durationMs,
          attemptJson(now, "retry", r.error),
          r.sequence,
          processId,
        )).changes;
      else
        changed = (yield* run(
          Q.error,
          r.errorKind,
          now,
          r.durationMs,
          r.executionId,
          r.error,
          attemptJson(now, "error", r.error),
          r.sequence,
          processId,
        )).changes;
      written += changed;
    }
    return written;
  },

  /** Every row left processing goes back to ready (an instance of one process, at start). */
  *recover(): Plan<number> {
    return (yield* run(Q.recover)).changes;
  },

  /** Rows whose lease ran out at `now` go back to ready. */
  *sweep(now: number): Plan<number> {
    return (yield* run(Q.sweep, now)).changes;
  },

  /** The leases `processId` holds run until `leaseUntil`. */
  *renew(processId: string, leaseUntil: number): Plan<number> {
    return (yield* run(Q.renew, leaseUntil, processId)).changes;
  },

  /** When the earliest ready row of a remote is due (a row waiting for its retry), or null. */
  *nextDue(remoteId: string): Plan<number | null> {
    return (yield* get(Q.nextDue, remoteId))?.at ?? null;
  },

  *backlog(): Plan<number> {
    return (yield* get(Q.backlog))?.n ?? 0;
  },
};

/** The inbound queue for the worker of this process (see OutboundStore). */
export class InboundStore {
  readonly processId: string;
  readonly leaseMs: number;

  constructor(
    private readonly storage: Storage,
    options: ClaimOptions = {},
  ) {
    this.processId = options.processId ?? PROCESS_ID;
    this.leaseMs = options.leaseMs ?? LEASE_MS;
  }

  /** Several processes share the queue (PostgreSQL): leases are renewed and swept. */
  get shared(): boolean {
    return this.storage.dialect === "postgres";
  }

  /** Runs `fn` when rows may have become ready, in this process or another. */
  onReady(fn: () => void): () => void {
    return this.storage.signals.listen("inbound", fn);
  }

  recover(): Promise<number> {
    return this.storage.transaction(() => inboundPlans.recover());
  }

  /** Rows whose process's lease ran out go back to `ready` (and the workers wake). */
  async sweep(now: number): Promise<number> {
    const n = await this.storage.transaction(() => inboundPlans.sweep(now));
    if (n > 0) this.storage.signals.notify("inbound");
    return n;
  }

  /** Extends the leases of the rows this process holds. */
  renew(now: number): Promise<number> {
    return this.storage.transaction(() => inboundPlans.renew(this.processId, now + this.leaseMs));
  }

  backlog(): Promise<number> {
    return this.storage.read(inboundPlans.backlog());
  }

  nextDue(remoteId: string): Promise<number | null> {
    return this.storage.read(inboundPlans.nextDue(remoteId));
  }

  claim(remoteId: string, now: number, limit: number, jobLimit = limit): Promise<InboundRow[]> {
    return this.storage.transaction(() =>
      inboundPlans.claim(remoteId, now, limit, this.processId, now + this.leaseMs, jobLimit),
    );
  }

  /** Writes many outcomes in one transaction; how many landed. */
  complete(results: InboundResult[], now: number, riding?: RidingWrite): Promise<number> {
    return transactionWith(this.storage, riding, () => inboundPlans.complete(results, now, this.processId));
  }
}

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
  payload: StoredPayload;
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
  /** The process that claimed the row last, and until when its lease runs (issue 13). */
  claimed_by?: string | null;
  lease_until?: number | null;
  /** The initial sync job that enqueued the row (issue 17); null for a live change. */
  initial_sync_job_id?: string | null;
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

// Lane heads only: an earlier row of the same lane that is not processed or skipped blocks.
const LANE_HEAD = `q.status = 'ready' AND q.status <> 'processed' AND q.remote_system_id = ? AND q.next_attempt_at <= ?
  AND NOT EXISTS (SELECT 1 FROM outbound_queue p WHERE p.lane_key = q.lane_key AND p.lane_seq < q.lane_seq
                  AND p.status NOT IN ('processed', 'skipped'))`;

// Live changes are claimed before the rows of initial sync jobs (issue 17: a change made while a
// job runs is sent ahead of the job's backlog), so each claim asks for the two kinds apart.
const LIVE = "q.initial_sync_job_id IS NULL";
const JOB = "q.initial_sync_job_id IS NOT NULL";
const eligible = (kind: string) =>
  sql<OutboundRow>(`SELECT q.* FROM outbound_queue q WHERE ${LANE_HEAD} AND ${kind} ORDER BY q.id LIMIT ?`);
// PostgreSQL (several processes): heads another process is claiming right now are skipped, and
// the rows behind them wait as their heads are unfinished; one statement claims the lot.
const claimSkipLocked = (kind: string) =>
  sql<OutboundRow>(
    `WITH picked AS MATERIALIZED (
       SELECT q.id FROM outbound_queue q WHERE ${LANE_HEAD} AND ${kind} ORDER BY q.id LIMIT ? FOR UPDATE OF q SKIP LOCKED)
     UPDATE outbound_queue SET status = 'processing', attempts = attempts + 1,
       started_at = coalesce(started_at, ?), claimed_by = ?, lease_until = ?
     FROM picked WHERE outbound_queue.id = picked.id RETURNING outbound_queue.*`,
  );

const Q = {
  // SQLite (one process, the claim transaction holds the write lock): read the heads, then claim them.
  eligibleLive: eligible(LIVE),
  eligibleJob: eligible(JOB),
  claim: sql(
    `UPDATE outbound_queue SET status = 'processing', attempts = attempts + 1,
       started_at = coalesce(started_at, ?), claimed_by = ?, lease_until = ? WHERE id = ? AND status = 'ready'`,
  ),
  claimLive: claimSkipLocked(LIVE),
  claimJob: claimSkipLocked(JOB),
  nextDue: sql<{ at: number | null }>(
    "SELECT min(next_attempt_at) AS at FROM outbound_queue WHERE status = 'ready' AND status <> 'processed' AND remote_system_id = ?",
  ),
  // Outcomes land only on rows the writer still holds: a row whose lease ran out and that another
  // process claimed again is that process's now.
  processed: sql(
    withAppend(
      (
        append,
      ) => `UPDATE outbound_queue SET status = 'processed', finished_at = ?, processing_ms = ?, flow_execution_id = ?,
         flow_version = coalesce(flow_version, ?), last_error = NULL, error_kind = NULL,
         retry_history = ${append} WHERE id = ? AND claimed_by = ?`,
    ),
  ),
  retry: sql(
    withAppend(
      (
        append,
      ) => `UPDATE outbound_queue SET status = 'ready', next_attempt_at = ?, last_error = ?, flow_execution_id = ?,
         flow_version = coalesce(flow_version, ?), processing_ms = ?,
         retry_history = ${append} WHERE id = ? AND claimed_by = ?`,
    ),
  ),
  error: sql(
    withAppend(
      (
        append,
      ) => `UPDATE outbound_queue SET status = 'error', error_kind = ?, last_error = ?, flow_execution_id = ?, finished_at = ?,
         flow_version = coalesce(flow_version, ?), processing_ms = ?,
         retry_history = ${append} WHERE id = ? AND claimed_by = ?`,
    ),
  ),
  recover: sql(
    "UPDATE outbound_queue SET status = 'ready' WHERE status = 'processing' AND status <> 'processed'",
  ),
  // Per remote, along the outbound_claim index (remote, status, id): rows processing are few.
  sweep: sql(
    `UPDATE outbound_queue SET status = 'ready', claimed_by = NULL, lease_until = NULL
     WHERE remote_system_id = ? AND status = 'processing' AND status <> 'processed' AND coalesce(lease_until, 0) < ?`,
  ),
  renew: sql(
    `UPDATE outbound_queue SET lease_until = ?
     WHERE remote_system_id = ? AND status = 'processing' AND status <> 'processed' AND claimed_by = ?`,
  ),
  get: sql<OutboundRow>("SELECT * FROM outbound_queue WHERE id = ?"),
  requeueConnectionErrors: sql(
    `UPDATE outbound_queue SET status = 'ready', attempts = 0, next_attempt_at = ?, error_kind = NULL
     WHERE remote_system_id = ? AND status = 'error' AND status <> 'processed' AND error_kind = 'connection'`,
  ),
};

/**
 * The outbound queue's state machine as plans (ready → processing → processed | ready | error),
 * for a caller that runs them in a transaction of its own; OutboundStore runs them for the worker.
 */
export const outboundPlans = {
  /**
   * Claims up to `limit` lane heads of one remote for `processId`, live changes first, then at
   * most `jobLimit` rows of initial sync jobs; run it in a transaction.
   */
  *claim(
    remoteId: string,
    now: number,
    limit: number,
    processId: string,
    leaseUntil: number,
    jobLimit = limit,
  ): Plan<OutboundRow[]> {
    if ((yield* dialect()) === "postgres") {
      const rows = yield* all(Q.claimLive, remoteId, now, limit, now, processId, leaseUntil);
      const jobs = Math.min(limit - rows.length, jobLimit);
      if (jobs > 0) rows.push(...(yield* all(Q.claimJob, remoteId, now, jobs, now, processId, leaseUntil)));
      return rows.sort((a, b) => a.id - b.id);
    }
    const rows = yield* all(Q.eligibleLive, remoteId, now, limit);
    const jobs = Math.min(limit - rows.length, jobLimit);
    if (jobs > 0) rows.push(...(yield* all(Q.eligibleJob, remoteId, now, jobs)));
    for (const row of rows) {
      yield* run(Q.claim, now, processId, leaseUntil, row.id);
      row.status = "processing";
      row.attempts += 1;
      row.started_at ??= now;
      row.claimed_by = processId;
      row.lease_until = leaseUntil;
    }
    return rows;
  },

  /** Writes outcomes of rows `processId` holds; how many landed. */
  *complete(results: OutboundResult[], now: number, processId: string): Plan<number> {
    let written = 0;
    for (const r of results) {
      let changed: number;
      if (r.kind === "processed") {
        changed = (yield* run(
          Q.processed,
          now,
          r.durationMs,
          r.executionId,
          r.flowVersion,
          attemptJson(now, "processed"),
          r.id,
          processId,
        )).changes;
      } else if (r.kind === "retry") {
        changed = (yield* run(
          Q.retry,
          r.nextAttemptAt,
          r.error,
          r.executionId,
          r.flowVersion,
          r.durationMs,
          attemptJson(now, "retry", r.error),
          r.id,
          processId,
        )).changes;
      } else {
        changed = (yield* run(
          Q.error,
          r.errorKind,
          r.error,
          r.executionId,
          now,
          r.flowVersion,
          r.durationMs,
          attemptJson(now, "error", r.error),
          r.id,
          processId,
        )).changes;
      }
      written += changed;
    }
    return written;
  },

  /** Every row left processing goes back to ready (an instance of one process, at start). */
  *recover(): Plan<number> {
    return (yield* run(Q.recover)).changes;
  },

  /** Rows of these remotes whose lease ran out at `now` go back to ready. */
  *sweep(now: number, remoteIds: readonly string[]): Plan<number> {
    let n = 0;
    for (const remoteId of remoteIds) n += (yield* run(Q.sweep, remoteId, now)).changes;
    return n;
  },

  /** The leases `processId` holds on rows of these remotes run until `leaseUntil`. */
  *renew(processId: string, leaseUntil: number, remoteIds: readonly string[]): Plan<number> {
    let n = 0;
    for (const remoteId of remoteIds) n += (yield* run(Q.renew, leaseUntil, remoteId, processId)).changes;
    return n;
  },

  *nextDue(remoteId: string): Plan<number | null> {
    return (yield* get(Q.nextDue, remoteId))?.at ?? null;
  },

  *requeueConnectionErrors(remoteId: string, now: number): Plan<number> {
    return (yield* run(Q.requeueConnectionErrors, now, remoteId)).changes;
  },

  *get(id: number): Plan<OutboundRow | undefined> {
    return yield* get(Q.get, id);
  },
};

/**
 * The outbound queue for the worker of this process: claims under its process id with a lease,
 * outcomes in batches (one transaction, one fsync for the lot), and a wake-up of every process's
 * worker after a commit that made rows ready.
 */
export class OutboundStore {
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
    return this.storage.signals.listen("outbound", fn);
  }

  /** Rows a crash left in `processing` go back to `ready`; the receiver dedups by message id. */
  recover(): Promise<number> {
    return this.storage.transaction(() => outboundPlans.recover());
  }

  /** Rows of these remotes whose process's lease ran out go back to `ready` (and the workers wake). */
  async sweep(now: number, remoteIds: readonly string[]): Promise<number> {
    if (remoteIds.length === 0) return 0;
    const n = await this.storage.transaction(() => outboundPlans.sweep(now, remoteIds));
    if (n > 0) this.storage.signals.notify("outbound");
    return n;
  }

  /** Extends the leases of the rows this process holds. */
  renew(now: number, remoteIds: readonly string[]): Promise<number> {
    if (remoteIds.length === 0) return Promise.resolve(0);
    return this.storage.transaction(() => outboundPlans.renew(this.processId, now + this.leaseMs, remoteIds));
  }

  /** Claims up to `limit` lane heads of one remote in one transaction (at most `jobLimit` of initial sync jobs). */
  claim(remoteId: string, now: number, limit: number, jobLimit = limit): Promise<OutboundRow[]> {
    return this.storage.transaction(() =>
      outboundPlans.claim(remoteId, now, limit, this.processId, now + this.leaseMs, jobLimit),
    );
  }

  nextDue(remoteId: string): Promise<number | null> {
    return this.storage.read(outboundPlans.nextDue(remoteId));
  }

  /** After Validate and Activate: rows that only failed to connect go again, in lane order. */
  async requeueConnectionErrors(remoteId: string, now: number): Promise<number> {
    const n = await this.storage.transaction(() => outboundPlans.requeueConnectionErrors(remoteId, now));
    if (n > 0) this.storage.signals.notify("outbound", remoteId);
    return n;
  }

  get(id: number): Promise<OutboundRow | undefined> {
    return this.storage.read(outboundPlans.get(id));
  }

  /** Writes many outcomes in one transaction (one fsync for the lot); how many landed. */
  complete(results: OutboundResult[], now: number, riding?: RidingWrite): Promise<number> {
    return transactionWith(this.storage, riding, () => outboundPlans.complete(results, now, this.processId));
  }
}

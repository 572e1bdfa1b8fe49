import { all, get, type Plan, run, sql } from "../storage";

// The sender's side of an initial sync job (issue 17) as plans: the job row, its audit trail,
// and the counts of the outbound rows it enqueued.

export type JobStatus = "running" | "paused" | "cancelled" | "completed";
export type JobMode = "create" | "link";
export type JobDirection = "push" | "pull";

interface JobRow {
  id: string;
  definition_id: string;
  remote_system_id: string;
  direction: JobDirection;
  capture_definition_id: string;
  table_name: string;
  condition: string;
  mode: JobMode;
  link_field: string | null;
  status: JobStatus;
  total: number;
  cursor: string;
  enqueued: number;
  exhausted: number | boolean;
  created_by: string;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
  remote_progress: string | null;
  report: string | null;
  last_error: string | null;
}

/** The receiver's counts for one job (server/initial-sync/receiver.ts, `progressPlan`). */
export interface RemoteProgress {
  /** Messages of the job the receiver has classified (each is counted in one outcome). */
  received: number;
  created: number;
  linked: number;
  unchanged: number;
  conflicts: number;
  /** Classified messages whose inbound row is in error. */
  errors: number;
  /** Classified messages whose inbound row has not finished yet. */
  pending: number;
  /** Messages accepted, not classified yet. */
  unclassified: number;
  at: number;
}

export interface ReportItem {
  sourceSysId: string;
  label: string;
  localSysId: string | null;
  detail: string | null;
}

/** The report at the end: totals and, per outcome, the records (the first ones when many). */
export interface JobReport {
  created: number;
  linked: number;
  unchanged: number;
  conflicts: number;
  errors: number;
  items: Record<"created" | "linked" | "unchanged" | "conflicts" | "errors", ReportItem[]>;
}

export interface InitialSyncJob {
  id: string;
  definitionId: string;
  remoteSystemId: string;
  /** push: the job sends this instance's records; pull: it follows the remote's job here. */
  direction: JobDirection;
  captureDefinitionId: string;
  tableName: string;
  condition: string;
  mode: JobMode;
  linkField: string | null;
  status: JobStatus;
  total: number;
  cursor: string;
  enqueued: number;
  exhausted: boolean;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
  remoteProgress: RemoteProgress | null;
  report: JobReport | null;
  lastError: string | null;
}

const toJob = (r: JobRow): InitialSyncJob => ({
  id: r.id,
  definitionId: r.definition_id,
  remoteSystemId: r.remote_system_id,
  direction: r.direction,
  captureDefinitionId: r.capture_definition_id,
  tableName: r.table_name,
  condition: r.condition,
  mode: r.mode,
  linkField: r.link_field,
  status: r.status,
  total: Number(r.total),
  cursor: r.cursor,
  enqueued: Number(r.enqueued),
  exhausted: Boolean(r.exhausted),
  createdBy: r.created_by,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
  finishedAt: r.finished_at === null ? null : Number(r.finished_at),
  remoteProgress: r.remote_progress ? (JSON.parse(r.remote_progress) as RemoteProgress) : null,
  report: r.report ? (JSON.parse(r.report) as JobReport) : null,
  lastError: r.last_error,
});

/** The sender's own counts: the job's outbound rows by status. */
export interface LocalCounts {
  ready: number;
  processing: number;
  processed: number;
  error: number;
  skipped: number;
}

export interface JobEvent {
  action: string;
  user: string;
  detail: Record<string, unknown> | null;
  at: number;
}

const Q = {
  insert: sql(
    `INSERT INTO initial_sync_job (id, definition_id, remote_system_id, direction, capture_definition_id, table_name,
       condition, mode, link_field, status, total, created_by, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?)`,
  ),
  get: sql<JobRow>("SELECT * FROM initial_sync_job WHERE id = ?"),
  // PostgreSQL: the producers of several processes take turns on a job (its cursor).
  lock: sql<JobRow>({
    sqlite: "SELECT * FROM initial_sync_job WHERE id = ?",
    postgres: "SELECT * FROM initial_sync_job WHERE id = ? FOR UPDATE",
  }),
  list: sql<JobRow>("SELECT * FROM initial_sync_job ORDER BY created_at DESC, id DESC LIMIT ?"),
  open: sql<JobRow>(
    "SELECT * FROM initial_sync_job WHERE status IN ('running', 'paused') ORDER BY created_at, id",
  ),
  activeFor: sql<{ id: string }>(
    `SELECT id FROM initial_sync_job WHERE remote_system_id = ? AND capture_definition_id = ?
       AND status IN ('running', 'paused') LIMIT 1`,
  ),
  advance: sql(
    `UPDATE initial_sync_job SET cursor = ?, enqueued = enqueued + ?, exhausted = ?, updated_at = ?, last_error = NULL
     WHERE id = ?`,
  ),
  status: sql(
    "UPDATE initial_sync_job SET status = ?, updated_at = ?, finished_at = ? WHERE id = ? AND status = ?",
  ),
  progress: sql(
    "UPDATE initial_sync_job SET remote_progress = ?, last_error = ?, updated_at = ? WHERE id = ?",
  ),
  report: sql("UPDATE initial_sync_job SET report = ?, updated_at = ? WHERE id = ?"),
  follow: sql(
    "UPDATE initial_sync_job SET enqueued = ?, exhausted = ?, last_error = ?, updated_at = ? WHERE id = ?",
  ),
  counts: sql<{ status: keyof LocalCounts; n: number }>(
    "SELECT status, count(*) AS n FROM outbound_queue WHERE initial_sync_job_id = ? GROUP BY status",
  ),
  senderErrors: sql<{ record_sys_id: string; last_error: string | null }>(
    `SELECT record_sys_id, last_error FROM outbound_queue WHERE initial_sync_job_id = ? AND status = 'error'
     ORDER BY id LIMIT ?`,
  ),
  skipRest: sql(
    "UPDATE outbound_queue SET status = 'skipped' WHERE initial_sync_job_id = ? AND status IN ('ready', 'error')",
  ),
  event: sql('INSERT INTO initial_sync_event (job_id, action, "user", detail, at) VALUES (?, ?, ?, ?, ?)'),
  events: sql<{ action: string; user: string; detail: string | null; at: number }>(
    'SELECT action, "user" AS "user", detail, at FROM initial_sync_event WHERE job_id = ? ORDER BY id',
  ),
};

/** What starting a job decides; the rest of a job's fields start at their defaults. */
export type NewJob = Pick<
  InitialSyncJob,
  | "id"
  | "definitionId"
  | "remoteSystemId"
  | "direction"
  | "captureDefinitionId"
  | "tableName"
  | "condition"
  | "mode"
  | "linkField"
  | "total"
  | "createdBy"
>;

export const jobPlans = {
  *create(job: NewJob, now: number): Plan<void> {
    yield* run(
      Q.insert,
      job.id,
      job.definitionId,
      job.remoteSystemId,
      job.direction,
      job.captureDefinitionId,
      job.tableName,
      job.condition,
      job.mode,
      job.linkField,
      job.total,
      job.createdBy,
      now,
      now,
    );
  },

  *get(id: string): Plan<InitialSyncJob | null> {
    const row = yield* get(Q.get, id);
    return row ? toJob(row) : null;
  },

  /** The job, held until the transaction ends on PostgreSQL (its cursor moves in it). */
  *lock(id: string): Plan<InitialSyncJob | null> {
    const row = yield* get(Q.lock, id);
    return row ? toJob(row) : null;
  },

  *list(limit = 100): Plan<InitialSyncJob[]> {
    return (yield* all(Q.list, limit)).map(toJob);
  },

  /** Jobs running or paused (a paused job's rows in flight still drain: its figures move). */
  *open(): Plan<InitialSyncJob[]> {
    return (yield* all(Q.open)).map(toJob);
  },

  /** A job of this remote and capture that is running or paused, if any. */
  *activeFor(remoteSystemId: string, captureDefinitionId: string): Plan<string | null> {
    return (yield* get(Q.activeFor, remoteSystemId, captureDefinitionId))?.id ?? null;
  },

  *advance(id: string, cursor: string, added: number, exhausted: boolean, now: number): Plan<void> {
    yield* run(Q.advance, cursor, added, exhausted ? 1 : 0, now, id);
  },

  /** Moves the job from `from` to `to`; false when it was not in `from`. */
  *transition(id: string, from: JobStatus, to: JobStatus, now: number): Plan<boolean> {
    const finished = to === "cancelled" || to === "completed" ? now : null;
    return (yield* run(Q.status, to, now, finished, id, from)).changes === 1;
  },

  *recordProgress(
    id: string,
    progress: RemoteProgress | null,
    error: string | null,
    now: number,
  ): Plan<void> {
    yield* run(Q.progress, progress ? JSON.stringify(progress) : null, error, now, id);
  },

  /** A pull job takes the remote job's figures (it runs there). */
  *follow(id: string, enqueued: number, exhausted: boolean, error: string | null, now: number): Plan<void> {
    yield* run(Q.follow, enqueued, exhausted ? 1 : 0, error, now, id);
  },

  *recordReport(id: string, report: JobReport, now: number): Plan<void> {
    yield* run(Q.report, JSON.stringify(report), now, id);
  },

  *counts(id: string): Plan<LocalCounts> {
    const counts: LocalCounts = { ready: 0, processing: 0, processed: 0, error: 0, skipped: 0 };
    for (const r of yield* all(Q.counts, id)) counts[r.status] = Number(r.n);
    return counts;
  },

  *senderErrors(id: string, limit: number): Plan<Array<{ recordSysId: string; error: string }>> {
    return (yield* all(Q.senderErrors, id, limit)).map((r) => ({
      recordSysId: r.record_sys_id,
      error: r.last_error ?? "",
    }));
  },

  /** Cancelling: the job's rows not sent yet are skipped (their lanes go on). */
  *skipRest(id: string): Plan<number> {
    return (yield* run(Q.skipRest, id)).changes;
  },

  *audit(
    id: string,
    action: string,
    user: string,
    detail: Record<string, unknown> | null,
    now: number,
  ): Plan<void> {
    yield* run(Q.event, id, action, user, detail ? JSON.stringify(detail) : null, now);
  },

  *events(id: string): Plan<JobEvent[]> {
    return (yield* all(Q.events, id)).map((e) => ({
      action: e.action,
      user: e.user,
      detail: e.detail ? (JSON.parse(e.detail) as Record<string, unknown>) : null,
      at: Number(e.at),
    }));
  },
};

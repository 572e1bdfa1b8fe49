import { get, type Plan, type Query, run, type Storage, sql } from "../storage";

export type QueueName = "outbound" | "inbound";

export interface QueueActionResult {
  /** Rows whose status changed. */
  changed: number[];
  /** Rows left as they were, with the reason (already processed, not found…). */
  unchanged: Array<{ id: number; reason: string }>;
}

export interface ReprocessOptions {
  /** Run with the version the row first ran with (outbound), not the latest published one. */
  originalVersion?: boolean;
}

const status = {
  outbound: sql<{ status: string }>("SELECT status FROM outbound_queue WHERE id = ?"),
  inbound: sql<{ status: string }>("SELECT status FROM inbound_queue WHERE sequence = ?"),
};
// Reprocess: error|skipped → ready with attempts reset (history kept); parameters (now, id).
const reprocessQ = {
  outboundLatest: sql(
    `UPDATE outbound_queue SET status = 'ready', attempts = 0, next_attempt_at = ?, error_kind = NULL, flow_version = NULL
     WHERE id = ? AND status IN ('error', 'skipped')`,
  ),
  outboundOriginal: sql(
    `UPDATE outbound_queue SET status = 'ready', attempts = 0, next_attempt_at = ?, error_kind = NULL
     WHERE id = ? AND status IN ('error', 'skipped')`,
  ),
  inbound: sql(
    `UPDATE inbound_queue SET status = 'ready', attempts = 0, next_attempt_at = ?, error_kind = NULL
     WHERE sequence = ? AND status IN ('error', 'skipped')`,
  ),
};
// Skip: ready|error → skipped, which unblocks the lane; parameter (id).
const skipQ = {
  outbound: sql("UPDATE outbound_queue SET status = 'skipped' WHERE id = ? AND status IN ('ready', 'error')"),
  inbound: sql(
    "UPDATE inbound_queue SET status = 'skipped' WHERE sequence = ? AND status IN ('ready', 'error')",
  ),
};
const log = sql(
  `INSERT INTO queue_action (queue, row_id, action, "user", detail, at) VALUES (?, ?, ?, ?, ?, ?)`,
);

function* apply(
  queue: QueueName,
  ids: readonly number[],
  user: string,
  action: "reprocess" | "skip",
  update: Query<unknown>,
  withNow: boolean,
  detail: string,
  now: number,
): Plan<QueueActionResult> {
  const result: QueueActionResult = { changed: [], unchanged: [] };
  for (const id of [...new Set(ids)]) {
    const row = yield* get(status[queue], id);
    if (!row) {
      result.unchanged.push({ id, reason: "not found" });
      continue;
    }
    const changes = withNow ? (yield* run(update, now, id)).changes : (yield* run(update, id)).changes;
    if (changes === 1) {
      result.changed.push(id);
      yield* run(log, queue, id, action, user, detail || null, now);
    } else {
      result.unchanged.push({ id, reason: `status is ${row.status}` });
    }
  }
  return result;
}

/** Reprocess and skip as plans, for one transaction; wake the workers after it committed. */
export const queueOperationPlans = {
  reprocess(
    queue: QueueName,
    ids: readonly number[],
    user: string,
    options: ReprocessOptions = {},
    now = Date.now(),
  ): Plan<QueueActionResult> {
    const detail = options.originalVersion
      ? "with the version it first ran with"
      : "with the latest published version";
    const update =
      queue === "inbound"
        ? reprocessQ.inbound
        : options.originalVersion
          ? reprocessQ.outboundOriginal
          : reprocessQ.outboundLatest;
    return apply(queue, ids, user, "reprocess", update, true, detail, now);
  },

  skip(queue: QueueName, ids: readonly number[], user: string, now = Date.now()): Plan<QueueActionResult> {
    return apply(queue, ids, user, "skip", skipQ[queue], false, "", now);
  },
};

/**
 * Reprocess and skip (SPEC 3.2), for one row or many, safe to repeat, each logged with who and
 * when, in one transaction. The workers of every process wake after a reprocess or skip that
 * changed a row (a skip unblocks its lane).
 */
export class QueueOperations {
  constructor(private readonly storage: Storage) {}

  async reprocessRows(
    queue: QueueName,
    ids: number[],
    user: string,
    options: ReprocessOptions = {},
  ): Promise<QueueActionResult> {
    const result = await this.storage.transaction(() =>
      queueOperationPlans.reprocess(queue, ids, user, options),
    );
    this.changed(queue, result);
    return result;
  }

  async skipRows(queue: QueueName, ids: number[], user: string): Promise<QueueActionResult> {
    const result = await this.storage.transaction(() => queueOperationPlans.skip(queue, ids, user));
    this.changed(queue, result);
    return result;
  }

  private changed(queue: QueueName, result: QueueActionResult): void {
    if (result.changed.length > 0) this.storage.signals.notify(queue);
  }
}

import type { Db } from "../db/client";

export type QueueName = "outbound" | "inbound";

export interface QueueActionResult {
  /** Rows whose status changed. */
  changed: number[];
  /** Rows left as they were, with the reason (already processed, not found…). */
  unchanged: Array<{ id: number; reason: string }>;
}

const table = { outbound: "outbound_queue", inbound: "inbound_queue" } as const;
const key = { outbound: "id", inbound: "sequence" } as const;

/**
 * Reprocess and skip (SPEC 3.2), for one row or many, safe to repeat, each logged with who and
 * when. Reprocess: error|skipped → ready with attempts reset (history kept). Skip: ready|error →
 * skipped, which unblocks the lane.
 */
export class QueueOperations {
  constructor(
    private readonly db: Db,
    private readonly wake: (queue: QueueName) => void,
  ) {}

  reprocess(
    queue: QueueName,
    ids: number[],
    user: string,
    options: { originalVersion?: boolean } = {},
  ): QueueActionResult {
    const detail = options.originalVersion
      ? "with the version it first ran with"
      : "with the latest published version";
    const set =
      queue === "outbound"
        ? `status = 'ready', attempts = 0, next_attempt_at = @now, error_kind = NULL${options.originalVersion ? "" : ", flow_version = NULL"}`
        : "status = 'ready', attempts = 0, next_attempt_at = @now, error_kind = NULL";
    return this.apply(queue, ids, user, "reprocess", ["error", "skipped"], set, detail);
  }

  skip(queue: QueueName, ids: number[], user: string): QueueActionResult {
    return this.apply(queue, ids, user, "skip", ["ready", "error"], "status = 'skipped'", "");
  }

  private apply(
    queue: QueueName,
    ids: number[],
    user: string,
    action: string,
    from: string[],
    set: string,
    detail: string,
  ): QueueActionResult {
    const c = this.db.$client;
    const t = table[queue];
    const k = key[queue];
    const get = c.prepare<[number], { status: string }>(`SELECT status FROM ${t} WHERE ${k} = ?`);
    const update = c.prepare(
      `UPDATE ${t} SET ${set} WHERE ${k} = @id AND status IN (${from.map((s) => `'${s}'`).join(", ")})`,
    );
    const log = c.prepare(
      "INSERT INTO queue_action (queue, row_id, action, user, detail, at) VALUES (?, ?, ?, ?, ?, ?)",
    );
    const result: QueueActionResult = { changed: [], unchanged: [] };
    c.transaction(() => {
      const now = Date.now();
      for (const id of [...new Set(ids)]) {
        const row = get.get(id);
        if (!row) {
          result.unchanged.push({ id, reason: "not found" });
          continue;
        }
        const params: Record<string, number> = { id };
        if (set.includes("@now")) params.now = now;
        if (update.run(params).changes === 1) {
          result.changed.push(id);
          log.run(queue, id, action, user, detail || null, now);
        } else {
          result.unchanged.push({ id, reason: `status is ${row.status}` });
        }
      }
    })();
    if (result.changed.length > 0) this.wake(queue);
    return result;
  }
}

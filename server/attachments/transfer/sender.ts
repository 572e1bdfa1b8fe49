import { randomUUID } from "node:crypto";
import { RetriableError } from "../../../flows/ports/errors";
import { ApiError } from "../../http/responses";
import type { Logger } from "../../log/logger";
import { nextRetryDelay } from "../../queue/retry-policy";
import { all, get, run, type Storage, sql } from "../../storage";
import type { SyncConfig } from "../../sync/config-store";
import type { SyncClient } from "../../transport/client";
import type { AttachmentService } from "../attachment-service";
import type { AttachmentLimits } from "../limits";
import type { AttachmentKeys } from "../synthetic-keys";

interface PushRow {
  id: number;
  remote_system_id: string;
  attachment_sys_id: string;
  key: string;
  receiver_correlation_id: string;
  batch: string;
  attempts: number;
}

/** A claimed push comes due again after this long: the claim of a process that died runs out. */
const CLAIM_MS = 60_000;

const Q = {
  insert: sql({
    sqlite: `INSERT OR IGNORE INTO attachment_push (remote_system_id, attachment_sys_id, key, receiver_correlation_id,
       batch, status, attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, 'ready', 0, ?, ?)`,
    postgres: `INSERT INTO attachment_push (remote_system_id, attachment_sys_id, key, receiver_correlation_id,
       batch, status, attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, 'ready', 0, ?, ?)
       ON CONFLICT DO NOTHING`,
  }),
  // Claims by moving the rows' due time past the claim: other processes skip them meanwhile.
  claim: sql<PushRow>({
    sqlite: `UPDATE attachment_push SET next_attempt_at = ? WHERE id IN (SELECT id FROM attachment_push
       WHERE status = 'ready' AND next_attempt_at <= ? ORDER BY id LIMIT 8) RETURNING *`,
    postgres: `UPDATE attachment_push SET next_attempt_at = ? WHERE id IN (SELECT id FROM attachment_push
       WHERE status = 'ready' AND next_attempt_at <= ? ORDER BY id LIMIT 8 FOR UPDATE SKIP LOCKED) RETURNING *`,
  }),
  // Serializes the pushes of one request across processes, so exactly one sees itself last.
  lockBatch: sql({
    sqlite: "SELECT id FROM attachment_push WHERE batch = ?",
    postgres: "SELECT id FROM attachment_push WHERE batch = ? ORDER BY id FOR UPDATE",
  }),
  pushed: sql(
    "UPDATE attachment_push SET status = 'pushed', attempts = attempts + 1, last_error = NULL WHERE id = ?",
  ),
  retry: sql(
    "UPDATE attachment_push SET status = 'ready', attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?",
  ),
  failed: sql(
    "UPDATE attachment_push SET status = 'error', attempts = attempts + 1, last_error = ? WHERE id = ?",
  ),
  batchOpen: sql<{ n: number }>(
    "SELECT count(*) AS n FROM attachment_push WHERE batch = ? AND status = 'ready'",
  ),
  batchKeys: sql<{ key: string }>("SELECT key FROM attachment_push WHERE batch = ? AND status = 'pushed'"),
};

/**
 * The sending side of attachment transfer (SPEC 3.6): checks every key of a request before
 * accepting any (a tampered key is 401, an expired or foreign one 403, and nothing moves), then
 * pushes the files to the receiver with retries, and signals completion per request.
 */
export class AttachmentSender {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private stopped = false;

  constructor(
    private readonly deps: {
      storage: Storage;
      attachments: AttachmentService;
      keys: AttachmentKeys;
      limits: AttachmentLimits;
      client: SyncClient;
      config: SyncConfig;
      logger: Logger;
    },
  ) {}

  /** POST /api/sync/v1/attachments/request from `remoteId`: validates, then queues the pushes. */
  async accept(
    remoteId: string,
    receiverCorrelationId: string,
    keys: string[],
  ): Promise<{ accepted: number }> {
    const claims = keys.map((key) => {
      const checked = this.deps.keys.check(key, remoteId);
      if (!checked.ok) {
        const why = {
          tampered: "is not a key this instance issued",
          expired: "has expired",
          foreign: "was issued to another remote system",
        }[checked.reason];
        throw new ApiError(
          checked.status,
          "Attachment key refused",
          `A requested key ${why}; nothing was transferred`,
        );
      }
      return { key, claims: checked.claims };
    });
    const batch = randomUUID();
    const now = Date.now();
    let accepted = 0;
    // Read first: a file deleted after this is reported by its push ("deleted before it could be sent").
    const rows = await Promise.all(
      claims.map(({ claims: c }) => this.deps.attachments.get(c.attachmentSysId)),
    );
    const { limits } = this.deps;
    await this.deps.storage.write(function* () {
      for (const [i, { key, claims: c }] of claims.entries()) {
        const row = rows[i];
        if (!row || row.table_sys_id !== c.recordSysId) continue; // deleted since: nothing to send
        if (limits.refusal(row.file_name, row.size_bytes)) continue;
        accepted += (yield* run(Q.insert, remoteId, row.sys_id, key, receiverCorrelationId, batch, now, now))
          .changes;
      }
    });
    if (accepted > 0) this.wake();
    return { accepted };
  }

  start(): void {
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    while (this.running) await new Promise((r) => setTimeout(r, 20));
  }

  wake = (): void => {
    if (this.stopped || this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), 0);
  };

  private async tick(): Promise<void> {
    this.running = true;
    let soonest = 2_000;
    try {
      for (;;) {
        const now = Date.now();
        const rows = (await this.deps.storage.write(() => all(Q.claim, now + CLAIM_MS, now))).sort(
          (a, b) => a.id - b.id,
        );
        if (rows.length === 0 || this.stopped) break;
        // One at a time: the last push of a request is the one that signals completion.
        for (const row of rows) await this.push(row);
      }
    } catch (error) {
      this.deps.logger.error({ err: error }, "attachment push failed");
      soonest = 1_000;
    } finally {
      this.running = false;
      if (!this.stopped) this.timer = setTimeout(this.wake, soonest);
    }
  }

  private async push(row: PushRow): Promise<void> {
    const remote = this.deps.config.snapshot().remotesById.get(row.remote_system_id);
    const attachment = await this.deps.attachments.get(row.attachment_sys_id);
    if (!remote || !attachment) {
      const why = remote ? "The attachment was deleted before it could be sent" : "Unknown remote system";
      await this.deps.storage.write(() => run(Q.failed, why, row.id));
      return;
    }
    try {
      await this.deps.client.pushAttachment(
        remote.id,
        {
          key: row.key,
          hash: attachment.hash,
          sizeBytes: attachment.size_bytes,
          fileName: attachment.file_name,
          contentType: attachment.content_type,
          correlationId: row.receiver_correlation_id,
        },
        await this.deps.attachments.readContent(attachment),
      );
      // Counted pushed with the batch locked, so of two processes pushing a request's last files
      // exactly one finds none left and signals completion. If that call fails, the row goes back
      // to ready and is retried (the receiver answers "already" to the bytes), completing then.
      const last = await this.deps.storage.write(function* () {
        yield* all(Q.lockBatch, row.batch);
        yield* run(Q.pushed, row.id);
        return Number((yield* get(Q.batchOpen, row.batch))?.n ?? 0) === 0;
      });
      if (last) await this.complete(remote.id, row);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const delay = error instanceof RetriableError ? nextRetryDelay(remote, row.attempts + 1) : null;
      if (delay === null) await this.deps.storage.write(() => run(Q.failed, message, row.id));
      else await this.deps.storage.write(() => run(Q.retry, Date.now() + delay, message, row.id));
    }
  }

  /** Every push of the request arrived: the receiver may move the files onto its record. */
  private async complete(remoteId: string, row: PushRow): Promise<void> {
    const pushed = await this.deps.storage.read(all(Q.batchKeys, row.batch));
    const keys = [...new Set([...pushed.map((r) => r.key), row.key])];
    await this.deps.client.call(remoteId, "/api/sync/v1/attachments/complete", {
      receiver_correlation_id: row.receiver_correlation_id,
      keys,
    });
  }
}

import { randomUUID } from "node:crypto";
import { RetriableError } from "../../../flows/ports/errors";
import type { Db } from "../../db/client";
import { ApiError } from "../../http/responses";
import type { Logger } from "../../log/logger";
import { nextRetryDelay } from "../../queue/retry-policy";
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

/**
 * The sending side of attachment transfer (SPEC 3.6): checks every key of a request before
 * accepting any (a tampered key is 401, an expired or foreign one 403, and nothing moves), then
 * pushes the files to the receiver with retries, and signals completion per request.
 */
export class AttachmentSender {
  private readonly sql;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private stopped = false;

  constructor(
    private readonly deps: {
      db: Db;
      attachments: AttachmentService;
      keys: AttachmentKeys;
      limits: AttachmentLimits;
      client: SyncClient;
      config: SyncConfig;
      logger: Logger;
    },
  ) {
    const c = deps.db.$client;
    this.sql = {
      insert: c.prepare(
        `INSERT OR IGNORE INTO attachment_push (remote_system_id, attachment_sys_id, key, receiver_correlation_id, batch,
           status, attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, 'ready', 0, ?, ?)`,
      ),
      due: c.prepare<[number], PushRow>(
        "SELECT * FROM attachment_push WHERE status = 'ready' AND next_attempt_at <= ? ORDER BY id LIMIT 8",
      ),
      pushed: c.prepare(
        "UPDATE attachment_push SET status = 'pushed', attempts = attempts + 1, last_error = NULL WHERE id = ?",
      ),
      retry: c.prepare(
        "UPDATE attachment_push SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?",
      ),
      failed: c.prepare(
        "UPDATE attachment_push SET status = 'error', attempts = attempts + 1, last_error = ? WHERE id = ?",
      ),
      batchOpen: c.prepare<[string], { n: number }>(
        "SELECT count(*) AS n FROM attachment_push WHERE batch = ? AND status = 'ready'",
      ),
      batchKeys: c.prepare<[string], { key: string }>(
        "SELECT key FROM attachment_push WHERE batch = ? AND status = 'pushed'",
      ),
    };
  }

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
    this.deps.db.$client.transaction(() => {
      for (const [i, { key, claims: c }] of claims.entries()) {
        const row = rows[i];
        if (!row || row.table_sys_id !== c.recordSysId) continue; // deleted since: nothing to send
        if (this.deps.limits.refusal(row.file_name, row.size_bytes)) continue;
        accepted += this.sql.insert.run(
          remoteId,
          row.sys_id,
          key,
          receiverCorrelationId,
          batch,
          now,
          now,
        ).changes;
      }
    })();
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
        const rows = this.sql.due.all(Date.now());
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
      this.sql.failed.run(
        remote ? "The attachment was deleted before it could be sent" : "Unknown remote system",
        row.id,
      );
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
      // The last file of a request signals completion before it counts as pushed: if that call
      // fails, the row is retried (the receiver answers "already" to the bytes) and completes then.
      if ((this.sql.batchOpen.get(row.batch)?.n ?? 0) === 1) await this.complete(remote.id, row);
      this.sql.pushed.run(row.id);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const delay = error instanceof RetriableError ? nextRetryDelay(remote, row.attempts + 1) : null;
      if (delay === null) this.sql.failed.run(message, row.id);
      else this.sql.retry.run(Date.now() + delay, message, row.id);
    }
  }

  /** Every push of the request arrived: the receiver may move the files onto its record. */
  private async complete(remoteId: string, row: PushRow): Promise<void> {
    const keys = [...this.sql.batchKeys.all(row.batch).map((r) => r.key), row.key];
    await this.deps.client.call(remoteId, "/api/sync/v1/attachments/complete", {
      receiver_correlation_id: row.receiver_correlation_id,
      keys,
    });
  }
}

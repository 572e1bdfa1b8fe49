import { createHash } from "node:crypto";
import { DataError } from "../../../flows/ports/errors";
import type { AttachmentMeta } from "../../../flows/ports/ports";
import { ApiError } from "../../http/responses";
import { all, get, run, type Storage, sql } from "../../storage";
import type { CorrelationStore } from "../../sync/correlations";
import type { SyncClient } from "../../transport/client";
import { type AttachmentService, attachmentPlans } from "../attachment-service";
import { sanitizeFileName } from "../file-names";
import type { AttachmentLimits } from "../limits";

interface TransferRow {
  id: number;
  key: string;
  correlation_id: string;
  table_name: string;
  record_sys_id: string;
  file_name: string;
  content_type: string;
  size_bytes: number;
  hash: string;
  status: "requested" | "received" | "moved" | "refused";
}

const Q = {
  insert: sql({
    sqlite: `INSERT OR IGNORE INTO attachment_transfer (remote_system_id, key_hash, key, correlation_id, table_name,
       record_sys_id, file_name, content_type, size_bytes, hash, status, error, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    postgres: `INSERT INTO attachment_transfer (remote_system_id, key_hash, key, correlation_id, table_name,
       record_sys_id, file_name, content_type, size_bytes, hash, status, error, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  }),
  byKey: sql<TransferRow>("SELECT * FROM attachment_transfer WHERE remote_system_id = ? AND key_hash = ?"),
  setStatus: sql(
    "UPDATE attachment_transfer SET status = ?, error = ?, attachment_sys_id = coalesce(?, attachment_sys_id), updated_at = ? WHERE id = ?",
  ),
  lockTransfer: sql<TransferRow>({
    sqlite: "SELECT * FROM attachment_transfer WHERE id = ?",
    postgres: "SELECT * FROM attachment_transfer WHERE id = ? FOR UPDATE",
  }),
  staged: sql<TransferRow>(
    "SELECT * FROM attachment_transfer WHERE remote_system_id = ? AND correlation_id = ? AND status = 'received' ORDER BY id",
  ),
};

const keyHash = (key: string) => createHash("sha256").update(key).digest("hex");

/**
 * The receiving side of attachment transfer (SPEC 3.6): records what it asks for, accepts the
 * pushed bytes only for keys it asked for (size and type checked before reading, hash checked
 * after), and on completion moves the staged files onto the record through the write path,
 * marked as coming from the remote so they are not echoed back.
 */
export class AttachmentReceiver {
  constructor(
    private readonly deps: {
      storage: Storage;
      attachments: AttachmentService;
      correlations: CorrelationStore;
      client: SyncClient;
      limits: AttachmentLimits;
      runAsOf: (remoteId: string) => Promise<string>;
    },
  ) {}

  /** Asks the sender for the files; those our limits refuse are returned, not requested. */
  async request(
    remoteId: string,
    offered: AttachmentMeta[],
    record: { table: string; sysId: string },
  ): Promise<{ requested: number; refused: string[] }> {
    const correlation = await this.deps.correlations.byRecord(remoteId, record.table, record.sysId);
    if (!correlation)
      throw new DataError(`${record.table} ${record.sysId} is not correlated with this remote system yet`);
    const refused: string[] = [];
    const keys: string[] = [];
    const now = Date.now();
    const { limits, storage } = this.deps;
    await storage.write(function* () {
      for (const meta of offered) {
        const fileName = sanitizeFileName(meta.file_name);
        const refusal = limits.refusal(fileName, meta.size_bytes);
        yield* run(
          Q.insert,
          remoteId,
          keyHash(meta.key),
          meta.key,
          correlation.localCorrelationId,
          record.table,
          record.sysId,
          fileName,
          meta.content_type,
          meta.size_bytes,
          meta.hash,
          refusal ? "refused" : "requested",
          refusal,
          now,
          now,
        );
        if (refusal) refused.push(refusal);
        else if ((yield* get(Q.byKey, remoteId, keyHash(meta.key)))?.status === "requested")
          keys.push(meta.key);
      }
    });
    if (keys.length > 0) {
      await this.deps.client.call(remoteId, "/api/sync/v1/attachments/request", {
        receiver_correlation_id: correlation.localCorrelationId,
        keys,
      });
    }
    return { requested: keys.length, refused };
  }

  /** PUT /api/sync/v1/attachments/{key}: stores the bytes of a requested file, once. */
  async receive(
    remoteId: string,
    key: string,
    declared: { hash: string; sizeBytes: number },
    body: AsyncIterable<Uint8Array>,
  ): Promise<"stored" | "already"> {
    const row = await this.deps.storage.read(get(Q.byKey, remoteId, keyHash(key)));
    if (!row)
      throw new ApiError(404, "Attachment not requested", "No request of this instance matches the key");
    if (row.status === "received" || row.status === "moved") return "already";
    if (row.status === "refused")
      throw new ApiError(409, "Attachment refused", `${row.file_name} was refused here`);
    if (declared.hash !== row.hash || declared.sizeBytes !== row.size_bytes) {
      throw new ApiError(
        400,
        "Attachment does not match its metadata",
        `Expected ${row.size_bytes} bytes with hash ${row.hash}`,
      );
    }
    const refusal = this.deps.limits.refusal(row.file_name, declared.sizeBytes);
    if (refusal) throw new ApiError(413, "Attachment refused", refusal);
    const stored = await this.deps.attachments.store(
      body,
      Math.min(row.size_bytes, this.deps.limits.maxBytes),
    );
    if (stored.hash !== row.hash || stored.sizeBytes !== row.size_bytes) {
      await this.deps.attachments.discardIfUnused(stored.hash);
      throw new ApiError(
        400,
        "Attachment hash mismatch",
        `Received ${stored.sizeBytes} bytes hashing to ${stored.hash}; expected ${row.hash}`,
      );
    }
    await this.deps.storage.write(() => run(Q.setStatus, "received", null, null, Date.now(), row.id));
    return "stored";
  }

  /** Moves every received file of a correlation onto its record, skipping ones it already has. */
  async move(remoteId: string, correlationId: string): Promise<{ moved: number }> {
    let moved = 0;
    const { attachments, storage } = this.deps;
    const actor = {
      userName: await this.deps.runAsOf(remoteId),
      origin: "flow" as const,
      originRemote: remoteId,
    };
    for (const staged of await storage.read(all(Q.staged, remoteId, correlationId))) {
      // One transaction per file, the row locked: another process moving the same correlation skips it.
      const attachedNow = await storage.write(function* () {
        const row = yield* get(Q.lockTransfer, staged.id);
        if (row?.status !== "received") return false;
        const existing = (yield* attachmentPlans.ofRecord(row.table_name, row.record_sys_id)).find(
          (a) => a.hash === row.hash && a.file_name === row.file_name,
        );
        const attached =
          existing ??
          (yield* attachments.attachStoredPlan(
            {
              tableName: row.table_name,
              tableSysId: row.record_sys_id,
              fileName: row.file_name,
              contentType: row.content_type,
              hash: row.hash,
              sizeBytes: row.size_bytes,
            },
            actor,
          ));
        yield* run(Q.setStatus, "moved", null, attached.sys_id, Date.now(), row.id);
        return !existing;
      });
      if (attachedNow) moved += 1;
    }
    return { moved };
  }
}

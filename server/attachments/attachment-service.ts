import type { Readable } from "node:stream";
import type { RecordService } from "../records/record-service";
import type { Actor } from "../records/types";
import { all, get, type Plan, type Query, run, sql } from "../storage";
import { notFound, RecordError } from "../util/errors";
import { newSysId } from "../util/ids";
import type { ContentStore } from "./content-store";
import { sanitizeFileName } from "./file-names";

export interface AttachmentRow {
  sys_id: string;
  table_name: string;
  table_sys_id: string;
  file_name: string;
  content_type: string;
  size_bytes: number;
  hash: string;
  sys_created_on: string;
  sys_created_by: string;
}

/** Columns an attachment listing may filter on with equality (the Attachment API's query). */
export const attachmentFilterColumns = ["table_name", "table_sys_id", "file_name", "content_type"] as const;
export type AttachmentFilter = Partial<Record<(typeof attachmentFilterColumns)[number], string>>;

/** Content already in the content store, to attach to a record. */
export interface AttachStored {
  tableName: string;
  tableSysId: string;
  fileName: string;
  contentType: string;
  hash: string;
  sizeBytes: number;
}

export interface NewAttachment {
  tableName: string;
  tableSysId: string;
  fileName: string;
  contentType: string;
  body: AsyncIterable<Uint8Array> | Uint8Array;
}

/** How long an interrupted upload's leftovers stay before the housekeeping sweeps them. */
export const ABANDONED_UPLOAD_MS = 60 * 60_000;

const Q = {
  insert: sql(
    `INSERT INTO attachment (sys_id, table_name, table_sys_id, file_name, content_type, size_bytes, hash,
       sys_created_on, sys_created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
  get: sql<AttachmentRow>("SELECT * FROM attachment WHERE sys_id = ?"),
  ofRecord: sql<AttachmentRow>(
    "SELECT * FROM attachment WHERE table_name = ? AND table_sys_id = ? ORDER BY sys_created_on, sys_id",
  ),
  delete: sql("DELETE FROM attachment WHERE sys_id = ?"),
  hashUsed: sql<{ one: number }>("SELECT 1 AS one FROM attachment WHERE hash = ? LIMIT 1"),
};

/** Listing statements by filter columns (a handful of combinations), each prepared once. */
const listQueries = new Map<string, { count: Query<{ n: number }>; page: Query<AttachmentRow> }>();

function listQuery(where: string) {
  let found = listQueries.get(where);
  if (!found) {
    found = {
      count: sql<{ n: number }>(`SELECT count(*) AS n FROM attachment WHERE ${where}`),
      page: sql<AttachmentRow>(
        `SELECT * FROM attachment WHERE ${where} ORDER BY sys_created_on, sys_id LIMIT ? OFFSET ?`,
      ),
    };
    listQueries.set(where, found);
  }
  return found;
}

export const attachmentPlans = {
  *get(sysId: string): Plan<AttachmentRow | null> {
    return (yield* get(Q.get, sysId)) ?? null;
  },

  *require(sysId: string): Plan<AttachmentRow> {
    const row = yield* attachmentPlans.get(sysId);
    if (!row) throw notFound("Attachment not found", `No attachment has sys_id ${sysId}`);
    return row;
  },

  ofRecord(tableName: string, tableSysId: string): Plan<AttachmentRow[]> {
    return all(Q.ofRecord, tableName, tableSysId);
  },
};

/** Attachments of records: bytes to the content store first, then the row in the write path. */
export class AttachmentService {
  constructor(
    private readonly records: RecordService,
    private readonly content: ContentStore,
    private readonly maxBytes: number,
  ) {}

  private get storage() {
    return this.records.storage;
  }

  get(sysId: string): Promise<AttachmentRow | null> {
    return this.storage.read(attachmentPlans.get(sysId));
  }

  require(sysId: string): Promise<AttachmentRow> {
    return this.storage.read(attachmentPlans.require(sysId));
  }

  ofRecord(tableName: string, tableSysId: string): Promise<AttachmentRow[]> {
    return this.storage.read(attachmentPlans.ofRecord(tableName, tableSysId));
  }

  /** Attachments matching every given column, oldest first, one page, with the total count. */
  list(
    filter: AttachmentFilter,
    page: { limit: number; offset: number },
  ): Promise<{ rows: AttachmentRow[]; total: number }> {
    // Column names come from the fixed list above, never from the caller; values are bound.
    const columns = attachmentFilterColumns.filter((c) => filter[c] !== undefined);
    const where = columns.length > 0 ? columns.map((c) => `${c} = ?`).join(" AND ") : "1 = 1";
    const values = columns.map((c) => filter[c]);
    const q = listQuery(where);
    return this.storage.read(
      (function* () {
        const total = (yield* get(q.count, ...values))?.n ?? 0;
        const rows = yield* all(q.page, ...values, page.limit, page.offset);
        return { rows, total: Number(total) };
      })(),
    );
  }

  async add(input: NewAttachment, actor: Actor): Promise<AttachmentRow> {
    await this.records.require(input.tableName, input.tableSysId); // 404 before reading any byte
    const fileName = sanitizeFileName(input.fileName);
    const stored = await this.content.write(input.body, this.maxBytes);
    try {
      return await this.attachStored(
        { ...input, fileName, hash: stored.hash, sizeBytes: stored.sizeBytes },
        actor,
      );
    } catch (error) {
      await this.removeContentIfUnused(stored.hash);
      throw error;
    }
  }

  /**
   * Attaches content that is already in the content store (a synced file that arrived and was
   * hash-checked) to a record, through the write path so capture sees it.
   */
  attachStored(input: AttachStored, actor: Actor): Promise<AttachmentRow> {
    return this.storage.write(() => this.attachStoredPlan(input, actor));
  }

  /** `attachStored` as a step of the caller's transaction. */
  *attachStoredPlan(input: AttachStored, actor: Actor): Plan<AttachmentRow> {
    const records = this.records;
    const target = yield* records.requirePlan(input.tableName, input.tableSysId); // may have gone meanwhile
    const sysId = newSysId();
    const fileName = sanitizeFileName(input.fileName);
    const contentType = input.contentType || "application/octet-stream";
    yield* run(
      Q.insert,
      sysId,
      input.tableName,
      input.tableSysId,
      fileName,
      contentType,
      input.sizeBytes,
      input.hash,
      records.now(),
      actor.userName,
    );
    yield* records.emitChangePlan({
      table: this.records.registry.require(input.tableName),
      operation: "update",
      sysId: input.tableSysId,
      before: target,
      after: target,
      changedFields: [],
      journalEntries: [],
      attachmentChanges: [{ kind: "added", sysId, fileName, hash: input.hash }],
      actor,
    });
    return yield* attachmentPlans.require(sysId);
  }

  /** Bytes that arrived from elsewhere, hash-checked; stored content removed again on mismatch. */
  async store(body: AsyncIterable<Uint8Array>, maxBytes: number) {
    return this.content.write(body, maxBytes);
  }

  discardIfUnused(hash: string): Promise<void> {
    return this.removeContentIfUnused(hash);
  }

  /** Leftovers of uploads a crash interrupted (the instance's housekeeping calls this). */
  sweepInterruptedUploads(now = Date.now()): Promise<number> {
    return this.content.sweep(ABANDONED_UPLOAD_MS, now);
  }

  async remove(sysId: string, actor: Actor): Promise<AttachmentRow> {
    const records = this.records;
    const row = await this.storage.write(function* () {
      const found = yield* attachmentPlans.require(sysId);
      const target = yield* records.getPlan(found.table_name, found.table_sys_id);
      yield* run(Q.delete, sysId);
      if (target) {
        yield* records.emitChangePlan({
          table: records.registry.require(found.table_name),
          operation: "update",
          sysId: found.table_sys_id,
          before: target,
          after: target,
          changedFields: [],
          journalEntries: [],
          attachmentChanges: [{ kind: "removed", sysId, fileName: found.file_name, hash: found.hash }],
          actor,
        });
      }
      return found;
    });
    await this.removeContentIfUnused(row.hash);
    return row;
  }

  async readContent(row: AttachmentRow): Promise<Readable> {
    if (!(await this.content.has(row.hash))) {
      throw new RecordError(
        404,
        "Attachment content missing",
        `The bytes of ${row.file_name} are not on disk`,
      );
    }
    return this.content.read(row.hash);
  }

  private async removeContentIfUnused(hash: string): Promise<void> {
    if (!(await this.storage.read(get(Q.hashUsed, hash)))) await this.content.remove(hash);
  }
}

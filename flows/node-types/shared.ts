import { z } from "zod";
import { DataError } from "../ports/errors";
import type { AttachmentMeta, Correlation, JournalEntry, WriteMeta } from "../ports/ports";
import type { NodeContext } from "../registry/types";
import { t, type ValueType } from "../schema/value-type";

/** Output shapes and helpers shared by several node types. */

export const correlationType: ValueType = t.object(
  {
    localCorrelationId: t.string("Local correlation id"),
    remoteCorrelationId: t.string("Remote correlation id"),
    remoteSystem: t.string("Remote system"),
    table: t.string("Table"),
    sysId: t.string("Record sys_id"),
    state: t.string("State"),
  },
  { label: "Correlation" },
);

/** Records are open objects: their fields depend on the table registry, not on flows/. */
export const recordType: ValueType = t.object(
  { sys_id: t.string("sys_id") },
  { open: true, label: "Record" },
);

export const attachmentType: ValueType = t.object({
  key: t.string("Key"),
  hash: t.string("SHA-256"),
  file_name: t.string("File name"),
  content_type: t.string("Content type"),
  size_bytes: t.number("Size (bytes)"),
});

export const attachmentListType: ValueType = t.array(attachmentType, "Attachments");

export function correlationOutputs(c: Correlation | null): Record<string, unknown> | null {
  return c === null ? null : { ...c };
}

/** Write metadata: run-as user, origin remote and the step's idempotency key. */
export function writeMeta(ctx: NodeContext): WriteMeta {
  const meta: WriteMeta = { idempotencyKey: ctx.idempotencyKey };
  if (ctx.runAs !== undefined) meta.runAs = ctx.runAs;
  if (ctx.originRemoteSystem !== undefined) meta.originRemoteSystem = ctx.originRemoteSystem;
  return meta;
}

const attachmentMetaSchema = z.object({
  key: z.string(),
  hash: z.string(),
  file_name: z.string(),
  content_type: z.string(),
  size_bytes: z.number(),
  deleted: z.boolean().optional(),
});

const attachmentListSchema = z.array(attachmentMetaSchema);

/** Validate a resolved list of attachment metadata (it usually comes from a pill). */
export function toAttachments(value: unknown, field: string): AttachmentMeta[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value) && value.length === 0) return [];
  const parsed = attachmentListSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new DataError(
    `${field}.${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid attachment list"}`,
    {
      code: "INPUT_INVALID",
      field,
    },
  );
}

const journalEntrySchema = z.object({
  element: z.string(),
  value: z.string(),
  created_by: z.string().optional(),
  created_on: z.string().optional(),
});

const journalListSchema = z.array(journalEntrySchema);

const isJournalEntry = (x: unknown): boolean =>
  x !== null &&
  typeof x === "object" &&
  typeof (x as JournalEntry).element === "string" &&
  typeof (x as JournalEntry).value === "string";

/** Journal entries to write with their original author and time (SPEC 3.7). */
export function toJournal(value: unknown, field: string): JournalEntry[] {
  if (value === undefined || value === null) return [];
  // Fast path for the common, already well-formed list (it usually comes from Transform Payload).
  if (Array.isArray(value) && value.every(isJournalEntry)) return value as JournalEntry[];
  const parsed = journalListSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new DataError(`${field} must be a list of journal entries (element, value).`, {
    code: "INPUT_INVALID",
    field,
  });
}

export const tableSetting = z.string().min(1, "choose a table");

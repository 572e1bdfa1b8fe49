import type { CapturedPayload } from "./payload";

/**
 * A hand-written check of the captured payload for the hot path of every inbound run: the zod
 * schema (payload.ts) stays the definition and explains failures, but parsing every message with
 * it cost more than the rest of the template. Returns null when zod must have the final word.
 */
const isObj = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

function arrayOf(v: unknown, ok: (x: unknown) => boolean): boolean {
  if (v === undefined) return true;
  if (!Array.isArray(v)) return false;
  for (const x of v) if (!ok(x)) return false;
  return true;
}

const changedOk = (x: unknown) =>
  isObj(x) && typeof x.key === "string" && (x.changed === undefined || typeof x.changed === "boolean");
const journalOk = (x: unknown) => isObj(x) && typeof x.element === "string" && typeof x.value === "string";
const attachmentOk = (x: unknown) =>
  isObj(x) &&
  typeof x.key === "string" &&
  typeof x.hash === "string" &&
  typeof x.file_name === "string" &&
  typeof x.content_type === "string" &&
  typeof x.size_bytes === "number";

const OPERATIONS = new Set(["create", "update", "delete"]);

function metaOk(m: unknown): boolean {
  if (m === undefined) return true;
  if (!isObj(m)) return false;
  for (const k of ["changed_by", "timestamp", "capture_definition", "source_table", "sys_id"]) {
    if (m[k] !== undefined && typeof m[k] !== "string") return false;
  }
  return m.operation === undefined || (typeof m.operation === "string" && OPERATIONS.has(m.operation));
}

export function fastCapturedPayload(doc: unknown): CapturedPayload | null {
  if (!isObj(doc)) return null;
  if (!metaOk(doc.capture_metadata)) return null;
  if (!arrayOf(doc.changed_fields, changedOk)) return null;
  if (!arrayOf(doc.journal_entries, journalOk)) return null;
  if (!arrayOf(doc.attachment_metadata, attachmentOk)) return null;
  return {
    capture_metadata: (doc.capture_metadata ?? {}) as CapturedPayload["capture_metadata"],
    changed_fields: (doc.changed_fields ?? []) as CapturedPayload["changed_fields"],
    journal_entries: (doc.journal_entries ?? []) as CapturedPayload["journal_entries"],
    attachment_metadata: (doc.attachment_metadata ?? []) as CapturedPayload["attachment_metadata"],
  };
}

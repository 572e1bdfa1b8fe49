// How a queue row stores its payload. A captured payload (SPEC 3.1) spells every field's key
// names, a display value that mostly repeats the value, and the 32-character origin of each
// field clock: 1.6 KB for a ten-field incident, which put an outbound row just over half a
// SQLite page, so every page held one row and half of it stayed empty (measured: 4.1 KB per
// synced record in outbound_queue, 2 KB of it unused). Packed, the same payload is a third of
// that. The packed form is a JSON array (a payload is always an object, so the two never
// collide); anything that is not exactly a captured payload, in shape and key order, is stored
// as plain JSON, so decoding always gives back what was encoded.
//
// On SQLite a packed payload is then stored deflated with a dictionary of the packed form's
// repeated pieces (a BLOB, ~173 bytes for that incident instead of 572: the queue rows were
// 1.2 KB of the 2.6-3.1 KB each side kept per synced record, issue 14). A BLOB is always a
// packed captured payload; plain JSON (initial sync instructions, anything unusual) stays text,
// so it can be told apart without inflating it. PostgreSQL's text column keeps the packed text.

import type { Database } from "better-sqlite3";
import type { Dialect } from "../storage";
import { type DeflateDictionary, deflateWith, dictionary, inflateWith } from "../util/dictionary-deflate";

const PACKED_VERSION = 1;

const META_KEYS = ["changed_by", "timestamp", "capture_definition", "operation", "source_table", "sys_id"];
const FIELD_KEYS = ["key", "value", "display_value", "changed", "clock"];
const FIELD_KEYS_WITH_PREVIOUS = [...FIELD_KEYS, "previous_value"];
const CLOCK_KEYS = ["counter", "origin"];
const JOURNAL_KEYS = ["element", "value", "created_by", "created_on", "entry_id"];
const ATTACHMENT_KEYS = ["key", "hash", "file_name", "content_type", "size_bytes"];
const ATTACHMENT_KEYS_DELETED = [...ATTACHMENT_KEYS, "deleted"]; // a removal (attachments/offer.ts)
const PAYLOAD_KEYS = ["capture_metadata", "changed_fields", "journal_entries", "attachment_metadata"];

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);

/** True when `v` is an object with exactly these keys, in this order. */
function hasKeys(v: unknown, keys: readonly string[]): v is Json {
  if (!isObject(v)) return false;
  const own = Object.keys(v);
  return own.length === keys.length && own.every((k, i) => k === keys[i]);
}

const allStrings = (o: Json, keys: readonly string[]) => keys.every((k) => typeof o[k] === "string");

/** What a queue row's payload column holds: JSON text, or on SQLite a deflated packed payload. */
export type StoredPayload = string | Uint8Array;

/** The payload as JSON text: packed when it is a captured payload, else plain. */
export function encodePayload(payload: unknown): string {
  return JSON.stringify(pack(payload) ?? payload);
}

/** The payload as a queue row on this dialect stores it. */
export function storePayload(payload: unknown, dialect: Dialect): StoredPayload {
  const packed = pack(payload);
  if (packed === undefined) return JSON.stringify(payload);
  const text = JSON.stringify(packed);
  return dialect === "sqlite" ? deflateWith(PACKED_DICTIONARY, text) : text;
}

/** A payload column's JSON text (inflated when stored deflated). */
export function payloadText(stored: StoredPayload): string {
  return typeof stored === "string" ? stored : inflateWith(DICTIONARIES, stored);
}

/** A queue row's payload column back as the payload object (deflated, packed or plain JSON). */
export function decodePayload(stored: StoredPayload): unknown {
  const parsed: unknown = JSON.parse(payloadText(stored));
  return Array.isArray(parsed) && parsed[0] === PACKED_VERSION ? unpack(parsed) : parsed;
}

/** True when the stored payload is plain JSON containing `text` (a packed payload never is plain). */
export function plainPayloadIncludes(stored: StoredPayload, text: string): boolean {
  return typeof stored === "string" && stored.includes(text);
}

function pack(p: unknown): unknown[] | undefined {
  if (!hasKeys(p, PAYLOAD_KEYS)) return undefined;
  const { capture_metadata: meta, changed_fields: fields, journal_entries: journal } = p;
  const attachments = p.attachment_metadata;
  if (!hasKeys(meta, META_KEYS) || !allStrings(meta, META_KEYS)) return undefined;
  if (!Array.isArray(fields) || !Array.isArray(journal) || !Array.isArray(attachments)) return undefined;
  const origins: string[] = [];
  const originIndex = new Map<string, number>();
  const packedFields: unknown[] = [];
  for (const f of fields) {
    const withPrevious = hasKeys(f, FIELD_KEYS_WITH_PREVIOUS);
    if (!withPrevious && !hasKeys(f, FIELD_KEYS)) return undefined;
    const { key, value, display_value: display, changed, clock } = f;
    if (typeof key !== "string" || typeof value !== "string" || typeof display !== "string") return undefined;
    if (typeof changed !== "boolean" || !hasKeys(clock, CLOCK_KEYS)) return undefined;
    if (typeof clock.counter !== "number" || typeof clock.origin !== "string") return undefined;
    if (withPrevious && typeof f.previous_value !== "string") return undefined;
    let origin = originIndex.get(clock.origin);
    if (origin === undefined) {
      origin = origins.push(clock.origin) - 1;
      originIndex.set(clock.origin, origin);
    }
    // 0 stands for "the same as the value": a display value is always a string, never 0.
    const row: unknown[] = [
      key,
      value,
      display === value ? 0 : display,
      changed ? 1 : 0,
      clock.counter,
      origin,
    ];
    if (withPrevious) row.push(f.previous_value);
    packedFields.push(row);
  }
  for (const j of journal) if (!hasKeys(j, JOURNAL_KEYS) || !allStrings(j, JOURNAL_KEYS)) return undefined;
  for (const a of attachments) {
    const deleted = hasKeys(a, ATTACHMENT_KEYS_DELETED);
    if (!deleted && !hasKeys(a, ATTACHMENT_KEYS)) return undefined;
    if (!allStrings(a, ATTACHMENT_KEYS.slice(0, 4)) || typeof a.size_bytes !== "number") return undefined;
    if (deleted && a.deleted !== true) return undefined;
  }
  return [
    PACKED_VERSION,
    META_KEYS.map((k) => meta[k]),
    packedFields,
    journal.map((j: Json) => JOURNAL_KEYS.map((k) => j[k])),
    attachments.map((a: Json) => (a.deleted ? ATTACHMENT_KEYS_DELETED : ATTACHMENT_KEYS).map((k) => a[k])),
    origins,
  ];
}

const zip = (keys: readonly string[], values: unknown[]): Json =>
  Object.fromEntries(keys.map((k, i) => [k, values[i]]));

function unpack([, meta, fields, journal, attachments, origins]: unknown[]): Json {
  const originOf = origins as string[];
  return {
    capture_metadata: zip(META_KEYS, meta as unknown[]),
    changed_fields: (fields as unknown[][]).map(
      ([key, value, display, changed, counter, origin, ...rest]) => {
        const field: Json = {
          key,
          value,
          display_value: display === 0 ? value : display,
          changed: changed === 1,
          clock: { counter, origin: originOf[origin as number] },
        };
        if (rest.length > 0) field.previous_value = rest[0];
        return field;
      },
    ),
    journal_entries: (journal as unknown[][]).map((j) => zip(JOURNAL_KEYS, j)),
    attachment_metadata: (attachments as unknown[][]).map((a) =>
      zip(a.length > ATTACHMENT_KEYS.length ? ATTACHMENT_KEYS_DELETED : ATTACHMENT_KEYS, a),
    ),
  };
}

/**
 * The pieces every packed payload repeats, commonest last (zlib reaches the dictionary's end
 * most cheaply): the packed form's punctuation and flags, capture operations, and the field
 * names and choice labels of the tables Tandem ships (server/tables). Never edit a dictionary
 * in use: rows packed with it could no longer be read. Add one with a new id instead.
 */
const PACKED_DICTIONARY = dictionary(1, [
  '"sys_updated_on","sys_created_on","sys_updated_by","sys_created_by","sys_mod_count",',
  '"close_code","close_notes","resolved_at","resolution_code","opened_at","opened_by",',
  '"work_notes","comments","assigned_to","cmdb_ci","contact_type","subcategory",',
  '"Solved (Permanently)","Closed","Resolved","Canceled","On Hold","In Progress",',
  '"2 - Medium","1 - High","Software","Network","Hardware","Database",',
  '"delete","update","problem","change_request","sc_request","sys_user_group","sys_user",',
  '"severity","priority","caller_id","caller",',
  ",false,0,1,1]",
  ',[],[],["",',
  '["sys_class_name","incident","Incident",0,0,0]],',
  '["caller","",0,0,0,0],',
  '["assignment_group","',
  '"Inquiry / Help",1,1,1],["category","inquiry',
  '"3 - Low",1,1,1],["urgency","3',
  '"3 - Low",1,1,1],["impact","3',
  '"New",1,1,1],["state","1',
  '["description","",0,0,0,0],["short_description","',
  '[1,["admin","20',
  '","create","incident","',
  '",0,0,0,0],["',
]);
const DICTIONARIES: readonly DeflateDictionary[] = [PACKED_DICTIONARY];

const SQL_TEXT_FUNCTION = "tandem_payload";

/**
 * SQL that reads the captured record's sys_id from a payload column in any form (packed: the
 * metadata's sixth value), for queries that pick rows by record (benches, tests, operators).
 * On a connection of its own, call `registerPayloadSql` first.
 */
export function payloadSysIdSql(column = "payload"): string {
  const text = `${SQL_TEXT_FUNCTION}(${column})`;
  return `coalesce(json_extract(${text}, '$.capture_metadata.sys_id'), json_extract(${text}, '$[1][${META_KEYS.indexOf("sys_id")}]'))`;
}

/** Gives a SQLite connection `tandem_payload(column)`: a payload column's JSON text. */
export function registerPayloadSql(db: Database): void {
  db.function(SQL_TEXT_FUNCTION, { deterministic: true }, (stored: unknown) =>
    typeof stored === "string" || stored instanceof Uint8Array ? payloadText(stored) : null,
  );
}

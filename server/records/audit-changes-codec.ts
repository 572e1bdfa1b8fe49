import { deflateWith, dictionary, inflateWith } from "../util/dictionary-deflate";

// audit_entry.changes (issue 14's storage aim): a create's JSON spells every field's name and
// `,null,` again in every row, ~270 bytes for an incident. Packed with a dictionary of those
// pieces it is ~100. SQLite keeps the packed value as a blob in the text column; PostgreSQL's text
// column cannot hold bytes, so there it stays plain JSON.
//
// Version 1 is frozen: rows packed with it must stay readable. Pieces are the JSON punctuation
// and the field names of the shipped tables, each as it reads in a create (`"],["state",null,"`,
// whose start an update's `"],["state","` matches too); commonest last, as zlib finds the
// dictionary's end cheapest.
const FIELDS_RAREST_FIRST = [
  // sys_user and sys_user_group
  "manager",
  "roles",
  "email",
  "active",
  "user_name",
  "name",
  // incident
  "sys_class_name",
  "resolved_by",
  "close_notes",
  "close_code",
  "work_notes",
  "comments",
  "caller",
  "assigned_to",
  "description",
  "assignment_group",
  "category",
  "priority",
  "severity",
  "urgency",
  "impact",
  "state",
  "short_description",
];

const V1 = dictionary(1, [
  '"]]',
  '",null,"',
  ...FIELDS_RAREST_FIRST.map((field) => `"],["${field}",null,"`),
  '[["number",null,"INC', // every incident create starts so
]);

/** The changes JSON as SQLite stores it: packed when that is smaller, else the text itself. */
export function packAuditChanges(json: string): string | Buffer {
  const packed = deflateWith(V1, json);
  return packed.length < Buffer.byteLength(json) ? packed : json;
}

/** A stored changes value (plain JSON text, or bytes packed by packAuditChanges) as its JSON text. */
export function auditChangesText(stored: string | Uint8Array): string {
  return typeof stored === "string" ? stored : inflateWith([V1], stored);
}

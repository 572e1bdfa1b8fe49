import { SHIPPED_FIELD_NAMES_V1 } from "../tables/shipped-field-names";
import { tokenCodec } from "../util/token-codec";

// audit_entry.changes (issue 14's storage aim): a create's JSON spells every field's name and
// `,null,` again in every row, ~270 bytes for an incident. With its punctuation and the shipped
// tables' field names swapped for one character each (server/util/token-codec.ts) it is ~100, on
// SQLite and PostgreSQL alike. Deflate gave the same size for ~20 times the CPU on every write.
// Codec "a" is frozen: rows written with it must stay readable; a better list gets a new id.
const CHANGES = tokenCodec("a", [
  // the JSON of [[field, old, new], ...]
  '[["',
  '"],["',
  '"]]',
  '",null,"',
  '","',
  ...SHIPPED_FIELD_NAMES_V1,
]);

/** The changes JSON as stored. */
export function packAuditChanges(json: string): string {
  return CHANGES.encode(json);
}

/** A stored changes value (encoded, or plain JSON written before) as its JSON text. */
export function auditChangesText(stored: string): string {
  return CHANGES.decode(stored);
}

import { z } from "zod";
import { auditChangesText } from "../records/audit-changes-codec";
import { all, type Storage, sql } from "../storage";

export interface AuditRow {
  id: number;
  at: string;
  user: string;
  origin: string;
  operation: string;
  field: string | null;
  oldValue: string | null;
  newValue: string | null;
}

const Q = {
  audit: sql<
    Omit<AuditRow, "field" | "oldValue" | "newValue"> & {
      field: string | null;
      oldValue: string | null;
      newValue: string | null;
      changes: string | null; // packed (audit-changes-codec.ts), or plain JSON written before
    }
  >(
    `SELECT id, at, "user" AS "user", origin, operation, field, old_value AS "oldValue", new_value AS "newValue", changes
     FROM audit_entry WHERE table_name = ? AND record_sys_id = ? ORDER BY id DESC LIMIT ?`,
  ),
};

// A write's changed fields, stored in one row since issue 14 (see audit_entry.changes).
const changesSchema = z.array(z.tuple([z.string(), z.string().nullable(), z.string().nullable()]));

/**
 * The newest audit entries of one record (who changed what, and when), one per changed field as
 * before: a one-row-per-write entry is expanded newest field first, the order the rows of the
 * older one-row-per-field shape (still read) came back in.
 */
export async function auditOf(
  storage: Storage,
  table: string,
  sysId: string,
  limit = 100,
): Promise<AuditRow[]> {
  const rows = await storage.read(all(Q.audit, table, sysId, limit));
  const entries: AuditRow[] = [];
  for (const { changes, ...row } of rows) {
    if (changes === null) {
      entries.push(row);
      continue;
    }
    const fields = changesSchema.parse(JSON.parse(auditChangesText(changes)));
    for (let i = fields.length - 1; i >= 0; i--) {
      const [field, oldValue, newValue] = fields[i] as [string, string | null, string | null];
      entries.push({ ...row, field, oldValue, newValue });
    }
  }
  return entries.slice(0, limit);
}

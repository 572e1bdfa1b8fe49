import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client";
import { auditEntry } from "../db/schema";

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

// A write's changed fields, stored in one row since issue 14 (see audit_entry.changes).
const changesSchema = z.array(z.tuple([z.string(), z.string().nullable(), z.string().nullable()]));

/**
 * The newest audit entries of one record (who changed what, and when), one per changed field as
 * before: a one-row-per-write entry is expanded newest field first, the order the rows of the
 * older one-row-per-field shape (still read) came back in.
 */
export function auditOf(db: Db, table: string, sysId: string, limit = 100): AuditRow[] {
  const rows = db
    .select({
      id: auditEntry.id,
      at: auditEntry.at,
      user: auditEntry.user,
      origin: auditEntry.origin,
      operation: auditEntry.operation,
      field: auditEntry.field,
      oldValue: auditEntry.oldValue,
      newValue: auditEntry.newValue,
      changes: auditEntry.changes,
    })
    .from(auditEntry)
    .where(and(eq(auditEntry.tableName, table), eq(auditEntry.recordSysId, sysId)))
    .orderBy(desc(auditEntry.id))
    .limit(limit)
    .all();
  const entries: AuditRow[] = [];
  for (const { changes, ...row } of rows) {
    if (changes === null) {
      entries.push(row);
      continue;
    }
    const fields = changesSchema.parse(JSON.parse(changes));
    for (let i = fields.length - 1; i >= 0; i--) {
      const [field, oldValue, newValue] = fields[i] as [string, string | null, string | null];
      entries.push({ ...row, field, oldValue, newValue });
    }
  }
  return entries.slice(0, limit);
}

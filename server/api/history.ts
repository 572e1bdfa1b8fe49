import { and, desc, eq } from "drizzle-orm";
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

/** The newest audit rows of one record (who changed what, and when). */
export function auditOf(db: Db, table: string, sysId: string, limit = 100): AuditRow[] {
  return db
    .select({
      id: auditEntry.id,
      at: auditEntry.at,
      user: auditEntry.user,
      origin: auditEntry.origin,
      operation: auditEntry.operation,
      field: auditEntry.field,
      oldValue: auditEntry.oldValue,
      newValue: auditEntry.newValue,
    })
    .from(auditEntry)
    .where(and(eq(auditEntry.tableName, table), eq(auditEntry.recordSysId, sysId)))
    .orderBy(desc(auditEntry.id))
    .limit(limit)
    .all();
}

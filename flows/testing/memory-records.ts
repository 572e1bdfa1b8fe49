import { NotFoundError, RecordValidationError } from "../ports/errors";
import type {
  FieldInfo,
  JournalEntry,
  RecordQuery,
  RecordsPort,
  RecordValues,
  SyncRecord,
  TableInfo,
  WriteMeta,
} from "../ports/ports";
import { MEMORY_TABLES } from "./tables";

export interface RecordWrite {
  op: "create" | "update" | "delete";
  table: string;
  sysId: string;
  values: RecordValues;
  meta: WriteMeta;
}

let counter = 0;
/** 32 hex chars, like a sys_id; deterministic per process so failures are easy to read. */
export function newSysId(): string {
  counter += 1;
  return counter.toString(16).padStart(32, "0");
}

/** In-memory records with the validation the real record service does (fields, choices, refs). */
export class MemoryRecords implements RecordsPort {
  readonly tables = new Map<string, Map<string, SyncRecord>>();
  readonly journal = new Map<string, JournalEntry[]>();
  readonly writes: RecordWrite[] = [];
  private readonly info = new Map<string, TableInfo>();
  private readonly fieldIndex = new Map<string, Map<string, FieldInfo>>();

  constructor(tables: readonly TableInfo[] = MEMORY_TABLES) {
    for (const t of tables) {
      this.info.set(t.name, t);
      this.fieldIndex.set(t.name, new Map(t.fields.map((f) => [f.name, f])));
      this.tables.set(t.name, new Map());
    }
  }

  async describe(table: string): Promise<TableInfo | undefined> {
    return this.info.get(table);
  }

  /** Synchronous insert for test setup (no validation, no write log). */
  seed(table: string, values: RecordValues): SyncRecord {
    const rec = { ...values, sys_id: typeof values.sys_id === "string" ? values.sys_id : newSysId() };
    this.rows(table).set(rec.sys_id, rec);
    return rec;
  }

  async lookup(table: string, query: RecordQuery): Promise<SyncRecord | null> {
    const rows = this.rows(table);
    if ("sysId" in query) return rows.get(query.sysId) ?? null;
    const conds = Object.entries(query.where);
    for (const r of rows.values()) if (conds.every(([k, v]) => String(r[k] ?? "") === v)) return r;
    return null;
  }

  async create(table: string, values: RecordValues, meta: WriteMeta): Promise<SyncRecord> {
    const clean = this.validate(table, values);
    const now = new Date().toISOString();
    const who = meta.runAs ?? "system";
    const rec: SyncRecord = {
      ...clean,
      sys_id: newSysId(),
      sys_created_on: now,
      sys_created_by: who,
      sys_updated_on: now,
      sys_updated_by: who,
      sys_mod_count: 0,
    };
    this.rows(table).set(rec.sys_id, rec);
    this.addJournal(rec.sys_id, meta);
    this.writes.push({ op: "create", table, sysId: rec.sys_id, values: clean, meta });
    return rec;
  }

  async update(table: string, sysId: string, values: RecordValues, meta: WriteMeta): Promise<SyncRecord> {
    const rows = this.rows(table);
    const existing = rows.get(sysId);
    if (!existing) throw new NotFoundError(`No ${table} record with sys_id ${sysId}.`);
    const clean = this.validate(table, values);
    const rec: SyncRecord = {
      ...existing,
      ...clean,
      sys_id: sysId,
      sys_updated_on: new Date().toISOString(),
      sys_updated_by: meta.runAs ?? "system",
      sys_mod_count: Number(existing.sys_mod_count ?? 0) + 1,
    };
    rows.set(sysId, rec);
    this.addJournal(sysId, meta);
    this.writes.push({ op: "update", table, sysId, values: clean, meta });
    return rec;
  }

  async delete(table: string, sysId: string, meta: WriteMeta): Promise<void> {
    if (!this.rows(table).delete(sysId)) throw new NotFoundError(`No ${table} record with sys_id ${sysId}.`);
    this.writes.push({ op: "delete", table, sysId, values: {}, meta });
  }

  private rows(table: string): Map<string, SyncRecord> {
    const rows = this.tables.get(table);
    if (!rows) throw new NotFoundError(`Unknown table "${table}".`);
    return rows;
  }

  private addJournal(sysId: string, meta: WriteMeta): void {
    if (!meta.journalEntries?.length) return;
    const list = this.journal.get(sysId) ?? [];
    list.push(...meta.journalEntries);
    this.journal.set(sysId, list);
  }

  private validate(table: string, values: RecordValues): RecordValues {
    const fields = this.fieldIndex.get(table);
    if (!fields) throw new NotFoundError(`Unknown table "${table}".`);
    const out: RecordValues = {};
    for (const k of Object.keys(values)) {
      const v = values[k];
      if (k.startsWith("sys_")) continue;
      const f = fields.get(k);
      if (!f) throw new RecordValidationError(k, `${table} has no field "${k}".`);
      const text = v === null || v === undefined ? "" : String(v);
      if (f.type === "choice" && text !== "" && !f.choices?.some((c) => c.value === text)) {
        const allowed = f.choices?.map((c) => c.value).join(", ") ?? "";
        throw new RecordValidationError(
          k,
          `Invalid value "${text}" for ${table}.${k}; choose one of ${allowed}.`,
        );
      }
      if (f.type === "integer" && text !== "" && !/^-?\d+$/.test(text)) {
        throw new RecordValidationError(k, `${table}.${k} must be a whole number, got "${text}".`);
      }
      if (
        f.type === "reference" &&
        text !== "" &&
        f.reference &&
        !this.tables.get(f.reference.table)?.has(text)
      ) {
        throw new RecordValidationError(
          k,
          `${table}.${k} refers to a ${f.reference.table} record that does not exist.`,
        );
      }
      out[k] = f.type === "choice" || f.type === "reference" ? text : v;
    }
    return out;
  }
}

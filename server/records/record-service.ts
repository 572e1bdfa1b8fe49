import type { Statement } from "better-sqlite3";
import type { Db } from "../db/client";
import { timedTransaction } from "../observability/metrics";
import { inSpan, tracingOn } from "../observability/tracing";
import type { TableRegistry } from "../tables/registry";
import type { TableDefinition } from "../tables/types";
import { badRequest, notFound, RecordError } from "../util/errors";
import { newSysId } from "../util/ids";
import { type Clock, systemClock, toGlideDateTime } from "../util/time";
import { applyDerivedFields } from "./derived-fields";
import { parseEncodedQuery } from "./encoded-query";
import { type JournalInput, normalizeInput } from "./field-values";
import { queryToSql } from "./query-sql";
import type { Actor, FieldValues, JournalEntry, RecordChange, RecordValues } from "./types";

export type ChangeHook = (change: RecordChange) => void;

export interface ListOptions {
  query?: string;
  limit?: number;
  offset?: number;
  /** Count all matches for `total` (default); off where only the rows are needed (`total` is then the rows' count). */
  count?: boolean;
}

/** A journal entry written with its original author and time (entries that arrive by sync). */
export interface ImportedJournalEntry extends JournalInput {
  entryId?: string;
  createdBy: string;
  createdOn: string;
}

export interface WriteOptions {
  /** sys_id for a new record (the Table API allows choosing it). */
  sysId?: string;
  journalEntries?: ImportedJournalEntry[];
}

interface RecordRow {
  sys_id: string;
  table_name: string;
  data: string;
  sys_created_on: string;
  sys_created_by: string;
  sys_updated_on: string;
  sys_updated_by: string;
  sys_mod_count: number;
  sys_domain: string;
}

/**
 * The one write path (SPEC 1.2). The UI, the Table API and flows all write through here; each
 * write is one transaction that validates, stores the record, its journal entries and audit
 * rows, then runs the change hooks (capture) so a change and its queued capture commit together.
 */
export class RecordService {
  private readonly hooks: ChangeHook[] = [];
  private readonly statements = new Map<string, Statement>();
  private readonly sql;
  private readonly clock: Clock;

  constructor(
    readonly db: Db,
    readonly registry: TableRegistry,
    clock: Clock = systemClock,
  ) {
    this.clock = clock;
    const c = db.$client;
    this.sql = {
      get: c.prepare<[string, string], RecordRow>("SELECT * FROM record WHERE sys_id = ? AND table_name = ?"),
      insert: c.prepare(
        `INSERT INTO record (sys_id, table_name, data, sys_created_on, sys_created_by, sys_updated_on,
           sys_updated_by, sys_mod_count, sys_domain) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)`,
      ),
      update: c.prepare(
        `UPDATE record SET data = ?, sys_updated_on = ?, sys_updated_by = ?, sys_mod_count = sys_mod_count + 1
         WHERE sys_id = ?`,
      ),
      delete: c.prepare("DELETE FROM record WHERE sys_id = ?"),
      exists: c.prepare<[string], { one: number }>("SELECT 1 AS one FROM record WHERE sys_id = ?"),
      resolveReference: c.prepare<[string, string, string, string], { sys_id: string }>(
        `SELECT sys_id FROM record WHERE table_name = ? AND (sys_id = ? OR json_extract(data, '$.' || ?) = ?)
         ORDER BY sys_created_on LIMIT 1`,
      ),
      unique: c.prepare<[string, string, string, string], { sys_id: string }>(
        "SELECT sys_id FROM record WHERE table_name = ? AND json_extract(data, '$.' || ?) = ? AND sys_id != ? LIMIT 1",
      ),
      nextNumber: c.prepare<[string], { n: number }>(
        "UPDATE number_counter SET next = next + 1 WHERE table_name = ? RETURNING next - 1 AS n",
      ),
      startNumber: c.prepare("INSERT INTO number_counter (table_name, next) VALUES (?, 10002)"),
      insertJournal: c.prepare(
        `INSERT INTO journal_entry (entry_id, table_name, record_sys_id, element, value, created_by, created_on,
           origin_remote) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      journalExists: c.prepare<[string], { one: number }>(
        "SELECT 1 AS one FROM journal_entry WHERE entry_id = ?",
      ),
      journal: c.prepare<[string], JournalRow>(
        `SELECT entry_id, element, value, created_by, created_on FROM journal_entry
         WHERE record_sys_id = ? ORDER BY seq DESC`,
      ),
      deleteJournal: c.prepare("DELETE FROM journal_entry WHERE record_sys_id = ?"),
      audit: c.prepare(
        `INSERT INTO audit_entry (table_name, record_sys_id, operation, field, old_value, new_value, user, origin,
           origin_remote, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      auditWrite: c.prepare(
        `INSERT INTO audit_entry (table_name, record_sys_id, operation, changes, user, origin, origin_remote, at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
    };
  }

  /** Registers a hook that runs inside every write transaction; a hook that throws undoes the write. */
  onChange(hook: ChangeHook): () => void {
    this.hooks.push(hook);
    return () => {
      const at = this.hooks.indexOf(hook);
      if (at >= 0) this.hooks.splice(at, 1);
    };
  }

  /** Runs fn in one transaction (nested calls become savepoints; only the outermost is timed). */
  transaction<T>(fn: () => T): T {
    const sqlite = this.db.$client;
    if (sqlite.inTransaction) return sqlite.transaction(fn)();
    return timedTransaction("record_write", () => sqlite.transaction(fn)());
  }

  /**
   * A write of the one write path: one transaction, traced as one span when tracing is on (the
   * capture, inside it, stores the span's trace context with the outbound rows).
   */
  private write<T>(operation: RecordChange["operation"], table: string, fn: () => T): T {
    if (!tracingOn()) return this.transaction(fn);
    return inSpan(
      `record ${operation}`,
      { attributes: { "tandem.table": table, "tandem.operation": operation } },
      () => this.transaction(fn),
    );
  }

  /** Runs the change hooks; for writers that own their own rows (attachments). */
  emitChange(change: RecordChange): void {
    const { actor } = change;
    for (const a of change.attachmentChanges) {
      const operation = a.kind === "added" ? "attach" : "detach";
      const [oldName, newName] = a.kind === "added" ? [null, a.fileName] : [a.fileName, null];
      this.sql.audit.run(
        change.table.name,
        change.sysId,
        operation,
        "attachment",
        oldName,
        newName,
        actor.userName,
        actor.origin,
        actor.originRemote ?? null,
        this.now(),
      );
    }
    for (const hook of this.hooks) hook(change);
  }

  now(): string {
    return toGlideDateTime(this.clock());
  }

  get(table: string, sysId: string): RecordValues | null {
    this.registry.require(table);
    const row = this.sql.get.get(sysId, table);
    return row ? rowToValues(row) : null;
  }

  require(table: string, sysId: string): RecordValues {
    const values = this.get(table, sysId);
    if (!values) throw notFound("No Record found", `Record ${sysId} does not exist in table ${table}`);
    return values;
  }

  list(table: string, options: ListOptions = {}): { rows: RecordValues[]; total: number } {
    const def = this.registry.require(table);
    const { where, orderBy, params } = queryToSql(def, parseEncodedQuery(options.query));
    const rows = this.select(where, orderBy)
      .all(table, ...params, options.limit ?? 10_000, options.offset ?? 0)
      .map(rowToValues);
    // Display look-ups (a reference's display value, for every captured change) need no count.
    if (options.count === false) return { rows, total: rows.length };
    const total = this.statement<{ n: number }>(
      `SELECT count(*) AS n FROM record WHERE table_name = ? AND (${where})`,
    ).get(table, ...params)?.n;
    return { rows, total: total ?? 0 };
  }

  /** The first record matching an encoded query, or null (no count: flows' look-ups are hot). */
  find(table: string, query: string): RecordValues | null {
    const def = this.registry.require(table);
    const { where, orderBy, params } = queryToSql(def, parseEncodedQuery(query));
    const row = this.select(where, orderBy).get(table, ...params, 1, 0);
    return row ? rowToValues(row) : null;
  }

  private select(where: string, orderBy: string) {
    return this.statement<RecordRow>(
      `SELECT * FROM record WHERE table_name = ? AND (${where}) ORDER BY ${orderBy} LIMIT ? OFFSET ?`,
    );
  }

  /** Prepared statements of generated SQL, kept by text (queries repeat: lists, flow look-ups). */
  private statement<T>(sql: string): Statement<unknown[], T> {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      if (this.statements.size >= 500) this.statements.clear();
      stmt = this.db.$client.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt as Statement<unknown[], T>;
  }

  journal(sysId: string): JournalEntry[] {
    return this.sql.journal.all(sysId).map(journalRowToEntry);
  }

  create(
    table: string,
    input: Record<string, unknown>,
    actor: Actor,
    options: WriteOptions = {},
  ): RecordValues {
    const def = this.registry.require(table);
    return this.write("create", table, () => {
      const { values, journal } = normalizeInput(def, input, this.resolveReference);
      const sysId = options.sysId ?? newSysId();
      if (!/^[0-9a-f]{32}$/.test(sysId))
        throw badRequest("Invalid sys_id", "A sys_id is 32 hex characters", "sys_id");
      if (this.sql.exists.get(sysId))
        throw new RecordError(409, "Record already exists", `sys_id ${sysId} is taken`);
      const data = withDefaults(def, values);
      if (def.numberPrefix) data.number = this.nextNumber(def);
      applyDerivedFields(table, data);
      this.checkMandatoryAndUnique(def, data, sysId);
      const now = this.now();
      this.sql.insert.run(
        sysId,
        table,
        JSON.stringify(data),
        now,
        actor.userName,
        now,
        actor.userName,
        "global",
      );
      const after = this.require(table, sysId);
      const entries = this.appendJournal(def, sysId, journal, options.journalEntries, actor, now);
      const changedFields = Object.keys(data).filter((k) => data[k] !== "");
      this.audit(def, sysId, "create", changedFields, null, after, actor, now);
      this.emitChange({
        table: def,
        operation: "create",
        sysId,
        before: null,
        after,
        changedFields,
        journalEntries: entries,
        attachmentChanges: [],
        actor,
      });
      return after;
    });
  }

  update(
    table: string,
    sysId: string,
    input: Record<string, unknown>,
    actor: Actor,
    options: WriteOptions = {},
  ): RecordValues {
    const def = this.registry.require(table);
    return this.write("update", table, () => {
      const before = this.require(table, sysId);
      const { values, journal } = normalizeInput(def, input, this.resolveReference);
      const data = dataOf(def, before);
      Object.assign(data, values);
      applyDerivedFields(table, data);
      this.checkMandatoryAndUnique(def, data, sysId);
      const changedFields = Object.keys(data).filter((k) => (before[k] ?? "") !== data[k]);
      const now = this.now();
      const entries = this.appendJournal(def, sysId, journal, options.journalEntries, actor, now);
      if (changedFields.length === 0 && entries.length === 0) return before; // nothing to write, nothing to capture
      this.sql.update.run(JSON.stringify(data), now, actor.userName, sysId);
      const after = this.require(table, sysId);
      this.audit(def, sysId, "update", changedFields, before, after, actor, now);
      this.emitChange({
        table: def,
        operation: "update",
        sysId,
        before,
        after,
        changedFields,
        journalEntries: entries,
        attachmentChanges: [],
        actor,
      });
      return after;
    });
  }

  delete(table: string, sysId: string, actor: Actor): RecordValues {
    const def = this.registry.require(table);
    return this.write("delete", table, () => {
      const before = this.require(table, sysId);
      this.emitChange({
        table: def,
        operation: "delete",
        sysId,
        before,
        after: null,
        changedFields: [],
        journalEntries: [],
        attachmentChanges: [],
        actor,
      });
      this.sql.deleteJournal.run(sysId);
      this.db.$client.prepare("DELETE FROM attachment WHERE table_sys_id = ?").run(sysId);
      this.sql.delete.run(sysId);
      this.audit(def, sysId, "delete", [], before, null, actor, this.now());
      return before;
    });
  }

  /** sys_id of the record of `table` whose sys_id or display value is `value`, or null. */
  readonly resolveReference = (table: string, value: string): string | null => {
    const def = this.registry.get(table);
    if (!def) return null;
    for (const field of [def.displayField, ...(def.lookupFields ?? [])]) {
      const found = this.sql.resolveReference.get(table, value, field, value)?.sys_id;
      if (found) return found;
    }
    return null;
  };

  private nextNumber(def: TableDefinition): string {
    let n = this.sql.nextNumber.get(def.name)?.n;
    if (n === undefined) {
      this.sql.startNumber.run(def.name);
      n = 10001;
    }
    return `${def.numberPrefix}${String(n).padStart(7, "0")}`;
  }

  private checkMandatoryAndUnique(def: TableDefinition, data: FieldValues, sysId: string): void {
    for (const field of def.fields) {
      const value = data[field.name] ?? "";
      if (field.mandatory && value === "")
        throw badRequest(`Field ${field.name} is mandatory`, "", field.name);
      if (field.unique && value !== "" && this.sql.unique.get(def.name, field.name, value, sysId)) {
        throw new RecordError(
          409,
          `${field.label} "${value}" is already used`,
          `${def.name}.${field.name} is unique`,
        );
      }
    }
  }

  private appendJournal(
    def: TableDefinition,
    sysId: string,
    typed: JournalInput[],
    imported: ImportedJournalEntry[] | undefined,
    actor: Actor,
    now: string,
  ): JournalEntry[] {
    const entries: JournalEntry[] = typed.map((j) => ({
      entryId: newSysId(),
      element: j.element,
      value: j.value,
      createdBy: actor.userName,
      createdOn: now,
    }));
    for (const j of imported ?? []) {
      if (def.fields.find((f) => f.name === j.element)?.type !== "journal") {
        throw badRequest(`Unknown journal field "${j.element}" for table ${def.name}`, "", j.element);
      }
      const entryId = j.entryId ?? newSysId();
      if (this.sql.journalExists.get(entryId)) continue; // already written: applying twice changes nothing
      entries.push({
        entryId,
        element: j.element,
        value: j.value,
        createdBy: j.createdBy,
        createdOn: j.createdOn,
      });
    }
    for (const e of entries) {
      this.sql.insertJournal.run(
        e.entryId,
        def.name,
        sysId,
        e.element,
        e.value,
        e.createdBy,
        e.createdOn,
        actor.originRemote ?? null,
      );
      this.sql.audit.run(
        def.name,
        sysId,
        "journal",
        e.element,
        null,
        e.value,
        actor.userName,
        actor.origin,
        actor.originRemote ?? null,
        now,
      );
    }
    return entries;
  }

  private audit(
    def: TableDefinition,
    sysId: string,
    operation: string,
    fields: string[],
    before: RecordValues | null,
    after: RecordValues | null,
    actor: Actor,
    now: string,
  ): void {
    const remote = actor.originRemote ?? null;
    const changes =
      fields.length === 0
        ? null
        : JSON.stringify(fields.map((field) => [field, before?.[field] ?? null, after?.[field] ?? null]));
    this.sql.auditWrite.run(def.name, sysId, operation, changes, actor.userName, actor.origin, remote, now);
  }
}

interface JournalRow {
  entry_id: string;
  element: string;
  value: string;
  created_by: string;
  created_on: string;
}

function journalRowToEntry(r: JournalRow): JournalEntry {
  return {
    entryId: r.entry_id,
    element: r.element,
    value: r.value,
    createdBy: r.created_by,
    createdOn: r.created_on,
  };
}

function rowToValues(row: RecordRow): RecordValues {
  const data = JSON.parse(row.data) as FieldValues;
  return {
    ...data,
    sys_id: row.sys_id,
    sys_created_on: row.sys_created_on,
    sys_created_by: row.sys_created_by,
    sys_updated_on: row.sys_updated_on,
    sys_updated_by: row.sys_updated_by,
    sys_mod_count: String(row.sys_mod_count),
    sys_domain: row.sys_domain,
  };
}

/** The stored (non-sys, non-journal) fields of a record, every field present. */
function dataOf(def: TableDefinition, values: RecordValues): FieldValues {
  const data: FieldValues = {};
  for (const f of def.fields) if (f.type !== "journal") data[f.name] = values[f.name] ?? "";
  return data;
}

function withDefaults(def: TableDefinition, values: FieldValues): FieldValues {
  const data: FieldValues = {};
  for (const f of def.fields) {
    if (f.type === "journal") continue;
    data[f.name] = values[f.name] ?? f.defaultValue ?? "";
  }
  return data;
}

import { timedAsync } from "../observability/metrics";
import { inSpan, tracingOn } from "../observability/tracing";
import { all, dialect, exclusive, get, type Plan, type Query, run, type Storage, sql } from "../storage";
import type { TableRegistry } from "../tables/registry";
import type { TableDefinition } from "../tables/types";
import { badRequest, notFound, RecordError } from "../util/errors";
import { newSysId } from "../util/ids";
import { type Clock, systemClock, toGlideDateTime } from "../util/time";
import { packAuditChanges } from "./audit-changes-codec";
import { applyDerivedFields } from "./derived-fields";
import { type EncodedQuery, parseEncodedQuery } from "./encoded-query";
import { type JournalInput, normalizeInput, referenceLookups } from "./field-values";
import { queryToSql } from "./query-sql";
import { TableReadCache } from "./table-read-cache";
import type { Actor, ArrivedClocks, FieldValues, JournalEntry, RecordChange, RecordValues } from "./types";

/** Runs inside every write's transaction, as part of its plan (capture); a hook that throws undoes the write. */
export type ChangeHook = (change: RecordChange) => Plan<void>;

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
  /** The clocks a synced write brings, for the change hooks (RecordChange.arrivedClocks). */
  arrivedClocks?: ArrivedClocks;
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

const Q = {
  get: sql<RecordRow>("SELECT * FROM record WHERE sys_id = ? AND table_name = ?"),
  insert: sql(
    `INSERT INTO record (sys_id, table_name, data, sys_created_on, sys_created_by, sys_updated_on,
       sys_updated_by, sys_mod_count, sys_domain) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)`,
  ),
  update: sql(
    `UPDATE record SET data = ?, sys_updated_on = ?, sys_updated_by = ?, sys_mod_count = sys_mod_count + 1
     WHERE sys_id = ?`,
  ),
  delete: sql("DELETE FROM record WHERE sys_id = ?"),
  deleteAttachments: sql("DELETE FROM attachment WHERE table_sys_id = ?"),
  exists: sql<{ one: number }>("SELECT 1 AS one FROM record WHERE sys_id = ?"),
  resolveReference: sql<{ sys_id: string }>({
    sqlite: `SELECT sys_id FROM record WHERE table_name = ? AND (sys_id = ? OR json_extract(data, '$.' || ?) = ?)
       ORDER BY sys_created_on LIMIT 1`,
    postgres: `SELECT sys_id FROM record WHERE table_name = ? AND (sys_id = ? OR (data::jsonb ->> ?) = ?)
       ORDER BY sys_created_on LIMIT 1`,
  }),
  unique: sql<{ sys_id: string }>({
    sqlite:
      "SELECT sys_id FROM record WHERE table_name = ? AND json_extract(data, '$.' || ?) = ? AND sys_id != ? LIMIT 1",
    postgres:
      "SELECT sys_id FROM record WHERE table_name = ? AND (data::jsonb ->> ?) = ? AND sys_id != ? LIMIT 1",
  }),
  nextNumber: sql<{ n: number }>(
    "UPDATE number_counter SET next = next + 1 WHERE table_name = ? RETURNING next - 1 AS n",
  ),
  // an imported number moves the counter past it, so numbers given later never repeat it
  passNumber: sql({
    sqlite: "UPDATE number_counter SET next = max(next, ?) WHERE table_name = ?",
    postgres: "UPDATE number_counter SET next = GREATEST(next, ?) WHERE table_name = ?",
  }),
  // two processes may start a table's counter at once: the second one's insert changes nothing
  startNumber: sql({
    sqlite: "INSERT OR IGNORE INTO number_counter (table_name, next) VALUES (?, 10001)",
    postgres: "INSERT INTO number_counter (table_name, next) VALUES (?, 10001) ON CONFLICT DO NOTHING",
  }),
  insertJournal: sql(
    `INSERT INTO journal_entry (entry_id, table_name, record_sys_id, element, value, created_by, created_on,
       origin_remote) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
  journalExists: sql<{ one: number }>("SELECT 1 AS one FROM journal_entry WHERE entry_id = ?"),
  journal: sql<JournalRow>(
    `SELECT entry_id, element, value, created_by, created_on FROM journal_entry
     WHERE record_sys_id = ? ORDER BY seq DESC`,
  ),
  deleteJournal: sql("DELETE FROM journal_entry WHERE record_sys_id = ?"),
  audit: sql(
    `INSERT INTO audit_entry (table_name, record_sys_id, operation, field, old_value, new_value, "user", origin,
       origin_remote, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
  auditWrite: sql(
    `INSERT INTO audit_entry (table_name, record_sys_id, operation, changes, "user", origin, origin_remote, at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
};

/**
 * The one write path (SPEC 1.2). The UI, the Table API and flows all write through here; each
 * write is one transaction that validates, stores the record, its journal entries and audit
 * rows, then runs the change hooks (capture) so a change and its queued capture commit together.
 * Every operation is a plan (server/storage), so a caller can compose it into a transaction of
 * its own (a flow's write in a group commit, a user and its password); the async methods run
 * one in a transaction of its own.
 */
export class RecordService {
  private readonly hooks: ChangeHook[] = [];
  /** Statements of generated SQL (lists, flows' look-ups), kept by text so each is prepared once. */
  private readonly generated = new Map<string, Query<unknown>>();
  private readonly clock: Clock;
  /**
   * Committed answers kept in memory (SQLite only, see TableReadCache): `find` by table and
   * query, and referenced records' display strings by table and sys_id. Flows resolve each
   * reference by display value and every captured change shows its references' names, and the
   * same few groups and users come up for every record (measured: 40-66 µs a look-up of a 3-row
   * table, once or twice per synced record on each side). `writes` counts each table's changes,
   * so a read that a write overtook is not kept.
   */
  private readonly found = new TableReadCache<RecordValues | null>();
  private readonly displays = new TableReadCache<string>();
  private readonly writes = new Map<string, number>();
  private readonly displaysToLearn = new Map<string, Set<string>>();

  constructor(
    readonly storage: Storage,
    readonly registry: TableRegistry,
    clock: Clock = systemClock,
  ) {
    this.clock = clock;
  }

  /** Registers a hook that runs inside every write transaction; a hook that throws undoes the write. */
  onChange(hook: ChangeHook): () => void {
    this.hooks.push(hook);
    return () => {
      const at = this.hooks.indexOf(hook);
      if (at >= 0) this.hooks.splice(at, 1);
    };
  }

  /** Runs a plan of record writes in one transaction of its own, timed as a record write. */
  transaction<T>(make: () => Plan<T>): Promise<T> {
    return timedAsync("record_write", () => this.storage.transaction(make));
  }

  /**
   * A write of the one write path: one transaction that may share its commit with the other
   * writes of the same turn (group commit on SQLite), settled once committed; traced as one span
   * when tracing is on (the capture, inside it, stores the span's trace context with the
   * outbound rows).
   */
  write<T>(operation: RecordChange["operation"], table: string, make: () => Plan<T>): Promise<T> {
    const commit = () => timedAsync("record_write", () => this.storage.write(make));
    if (!tracingOn()) return commit();
    return inSpan(
      `record ${operation}`,
      { attributes: { "tandem.table": table, "tandem.operation": operation } },
      commit,
    );
  }

  // The plans check the table: an unknown one rejects the promise like any other refusal.
  create(
    table: string,
    input: Record<string, unknown>,
    actor: Actor,
    options: WriteOptions = {},
  ): Promise<RecordValues> {
    return this.write("create", table, () => this.createPlan(table, input, actor, options));
  }

  update(
    table: string,
    sysId: string,
    input: Record<string, unknown>,
    actor: Actor,
    options: WriteOptions = {},
  ): Promise<RecordValues> {
    return this.write("update", table, () => this.updatePlan(table, sysId, input, actor, options));
  }

  delete(table: string, sysId: string, actor: Actor): Promise<RecordValues> {
    return this.write("delete", table, () => this.deletePlan(table, sysId, actor));
  }

  get(table: string, sysId: string): Promise<RecordValues | null> {
    return this.storage.read(this.getPlan(table, sysId));
  }

  require(table: string, sysId: string): Promise<RecordValues> {
    return this.storage.read(this.requirePlan(table, sysId));
  }

  list(table: string, options: ListOptions = {}): Promise<{ rows: RecordValues[]; total: number }> {
    return this.storage.read(this.listPlan(table, options));
  }

  async find(table: string, query: string): Promise<RecordValues | null> {
    if (this.storage.dialect !== "sqlite") return this.storage.read(this.findPlan(table, query));
    this.registry.require(table); // a table removed since is refused as before
    const cached = this.found.get(table, query);
    if (cached !== undefined) return cached && { ...cached };
    const writes = this.writes.get(table) ?? 0;
    const values = await this.storage.read(this.findPlan(table, query));
    if ((this.writes.get(table) ?? 0) === writes) this.found.set(table, query, values && { ...values });
    return values;
  }

  /**
   * The display strings of records of `table` known from committed reads (SQLite only), and the
   * sys_ids not known. Called inside write transactions (the capture's payload), so what such a
   * transaction reads is never kept: `learnDisplays` reads the missing ones again after it.
   */
  knownDisplays(table: string, ids: Iterable<string>): { known: Map<string, string>; missing: string[] } {
    const known = new Map<string, string>();
    if (this.storage.dialect !== "sqlite") return { known, missing: [...ids] };
    const missing: string[] = [];
    const field = this.registry.get(table)?.displayField;
    for (const id of ids) {
      const shown = this.displays.get(table, `${field}\u0000${id}`);
      if (shown === undefined) missing.push(id);
      else known.set(id, shown);
    }
    return { known, missing };
  }

  /** Reads the display strings of `ids` after this turn, outside any transaction, to keep them. */
  learnDisplays(table: string, ids: string[]): void {
    if (this.storage.dialect !== "sqlite" || ids.length === 0) return;
    const first = this.displaysToLearn.size === 0;
    const wanted = this.displaysToLearn.get(table) ?? new Set<string>();
    for (const id of ids) wanted.add(id);
    this.displaysToLearn.set(table, wanted);
    if (first) setImmediate(() => this.learnWantedDisplays());
  }

  private learnWantedDisplays(): void {
    const wanted = [...this.displaysToLearn];
    this.displaysToLearn.clear();
    for (const [table, ids] of wanted) {
      const def = this.registry.get(table);
      if (!def) continue;
      const writes = this.writes.get(table) ?? 0;
      const query = `sys_idIN${[...ids].slice(0, 500).join(",")}`;
      this.storage
        .read(this.listPlan(table, { query, limit: 500, count: false }))
        .then(({ rows }) => {
          if ((this.writes.get(table) ?? 0) !== writes) return;
          for (const r of rows)
            this.displays.set(table, `${def.displayField}\u0000${r.sys_id}`, r[def.displayField] ?? "");
        })
        .catch(() => undefined); // only a cache: the next capture reads them itself
    }
  }

  journal(sysId: string): Promise<JournalEntry[]> {
    return this.storage.read(this.journalPlan(sysId));
  }

  /** sys_id of the record of `table` whose sys_id or display value is `value`, or null. */
  resolveReference(table: string, value: string): Promise<string | null> {
    return this.storage.read(this.resolveReferencePlan(table, value));
  }

  now(): string {
    return toGlideDateTime(this.clock());
  }

  /** Runs the change hooks; for writers that own their own rows (attachments). */
  *emitChangePlan(change: RecordChange): Plan<void> {
    const { actor } = change;
    // Before the write commits, and kept forgotten if it rolls back: a look-up then reads again.
    this.found.forget(change.table.name);
    this.displays.forget(change.table.name);
    this.writes.set(change.table.name, (this.writes.get(change.table.name) ?? 0) + 1);
    for (const a of change.attachmentChanges) {
      const operation = a.kind === "added" ? "attach" : "detach";
      const [oldName, newName] = a.kind === "added" ? [null, a.fileName] : [a.fileName, null];
      yield* run(
        Q.audit,
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
    for (const hook of this.hooks) yield* hook(change);
  }

  *getPlan(table: string, sysId: string): Plan<RecordValues | null> {
    this.registry.require(table);
    const row = yield* get(Q.get, sysId, table);
    return row ? rowToValues(row) : null;
  }

  *requirePlan(table: string, sysId: string): Plan<RecordValues> {
    const values = yield* this.getPlan(table, sysId);
    if (!values) throw notFound("No Record found", `Record ${sysId} does not exist in table ${table}`);
    return values;
  }

  *listPlan(table: string, options: ListOptions = {}): Plan<{ rows: RecordValues[]; total: number }> {
    const def = this.registry.require(table);
    const { where, orderBy, params } = queryToSql(def, parseEncodedQuery(options.query), yield* dialect());
    const found = yield* all(
      this.select(where, orderBy),
      table,
      ...params,
      options.limit ?? 10_000,
      options.offset ?? 0,
    );
    const rows = found.map(rowToValues);
    // Display look-ups (a reference's display value, for every captured change) need no count.
    if (options.count === false) return { rows, total: rows.length };
    const counted = yield* get(
      this.statement<{ n: number }>(`SELECT count(*) AS n FROM record WHERE table_name = ? AND (${where})`),
      table,
      ...params,
    );
    return { rows, total: Number(counted?.n ?? 0) };
  }

  /** The first record matching an encoded query, or null (no count: flows' look-ups are hot). */
  *findPlan(table: string, query: string): Plan<RecordValues | null> {
    const def = this.registry.require(table);
    const { where, orderBy, params } = queryToSql(def, parseEncodedQuery(query), yield* dialect());
    const row = yield* get(this.select(where, orderBy), table, ...params, 1, 0);
    return row ? rowToValues(row) : null;
  }

  /** Up to `limit` records of `table` whose `field` is exactly `value` (parsed, so any value is safe). */
  *matchingPlan(table: string, field: string, value: string, limit: number): Plan<RecordValues[]> {
    const def = this.registry.require(table);
    const query: EncodedQuery = { disjunction: [[[{ field, operator: "=", value }]]], orderBy: [] };
    const { where, orderBy, params } = queryToSql(def, query, yield* dialect());
    return (yield* all(this.select(where, orderBy), table, ...params, limit, 0)).map(rowToValues);
  }

  *journalPlan(sysId: string): Plan<JournalEntry[]> {
    return (yield* all(Q.journal, sysId)).map(journalRowToEntry);
  }

  private select(where: string, orderBy: string): Query<RecordRow> {
    return this.statement<RecordRow>(
      `SELECT * FROM record WHERE table_name = ? AND (${where}) ORDER BY ${orderBy} LIMIT ? OFFSET ?`,
    );
  }

  /** A statement of generated SQL, kept by text (queries repeat: lists, flow look-ups). */
  private statement<T>(text: string): Query<T> {
    let query = this.generated.get(text);
    if (!query) {
      if (this.generated.size >= 500) this.generated.clear();
      query = sql(text);
      this.generated.set(text, query);
    }
    return query as Query<T>;
  }

  *createPlan(
    table: string,
    input: Record<string, unknown>,
    actor: Actor,
    options: WriteOptions = {},
  ): Plan<RecordValues> {
    const def = this.registry.require(table);
    const { values, journal } = yield* this.normalize(def, input);
    const sysId = options.sysId ?? newSysId();
    if (!/^[0-9a-f]{32}$/.test(sysId))
      throw badRequest("Invalid sys_id", "A sys_id is 32 hex characters", "sys_id");
    if (yield* get(Q.exists, sysId))
      throw new RecordError(409, "Record already exists", `sys_id ${sysId} is taken`);
    const data = withDefaults(def, values);
    if (def.numberPrefix) data.number = yield* this.numberFor(def, input.number);
    applyDerivedFields(table, data);
    yield* this.checkMandatoryAndUnique(def, data, sysId);
    const now = this.now();
    const row: RecordRow = {
      sys_id: sysId,
      table_name: table,
      data: JSON.stringify(data),
      sys_created_on: now,
      sys_created_by: actor.userName,
      sys_updated_on: now,
      sys_updated_by: actor.userName,
      sys_mod_count: 0,
      sys_domain: "global",
    };
    yield* run(
      Q.insert,
      row.sys_id,
      row.table_name,
      row.data,
      row.sys_created_on,
      row.sys_created_by,
      row.sys_updated_on,
      row.sys_updated_by,
      row.sys_domain,
    );
    // The record as a read would give it back (rowToValues of the row just inserted), without
    // reading or parsing it again: the stored data are these strings.
    const after = valuesOf(row, data);
    const entries = yield* this.appendJournal(def, sysId, journal, options.journalEntries, actor, now);
    const changedFields = Object.keys(data).filter((k) => data[k] !== "");
    yield* this.audit(def, sysId, "create", changedFields, null, after, actor, now);
    yield* this.emitChangePlan({
      table: def,
      operation: "create",
      sysId,
      before: null,
      after,
      changedFields,
      journalEntries: entries,
      attachmentChanges: [],
      actor,
      ...(options.arrivedClocks ? { arrivedClocks: options.arrivedClocks } : {}),
    });
    return after;
  }

  *updatePlan(
    table: string,
    sysId: string,
    input: Record<string, unknown>,
    actor: Actor,
    options: WriteOptions = {},
  ): Plan<RecordValues> {
    const def = this.registry.require(table);
    const before = yield* this.requirePlan(table, sysId);
    const { values, journal } = yield* this.normalize(def, input);
    const data = dataOf(def, before);
    Object.assign(data, values);
    applyDerivedFields(table, data);
    yield* this.checkMandatoryAndUnique(def, data, sysId);
    const changedFields = Object.keys(data).filter((k) => (before[k] ?? "") !== data[k]);
    const now = this.now();
    const entries = yield* this.appendJournal(def, sysId, journal, options.journalEntries, actor, now);
    if (changedFields.length === 0 && entries.length === 0) return before; // nothing to write, nothing to capture
    yield* run(Q.update, JSON.stringify(data), now, actor.userName, sysId);
    const after = yield* this.requirePlan(table, sysId);
    yield* this.audit(def, sysId, "update", changedFields, before, after, actor, now);
    yield* this.emitChangePlan({
      table: def,
      operation: "update",
      sysId,
      before,
      after,
      changedFields,
      journalEntries: entries,
      attachmentChanges: [],
      actor,
      ...(options.arrivedClocks ? { arrivedClocks: options.arrivedClocks } : {}),
    });
    return after;
  }

  *deletePlan(table: string, sysId: string, actor: Actor): Plan<RecordValues> {
    const def = this.registry.require(table);
    const before = yield* this.requirePlan(table, sysId);
    yield* this.emitChangePlan({
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
    yield* run(Q.deleteJournal, sysId);
    yield* run(Q.deleteAttachments, sysId);
    yield* run(Q.delete, sysId);
    yield* this.audit(def, sysId, "delete", [], before, null, actor, this.now());
    return before;
  }

  *resolveReferencePlan(table: string, value: string): Plan<string | null> {
    const def = this.registry.get(table);
    if (!def) return null;
    for (const field of [def.displayField, ...(def.lookupFields ?? [])]) {
      const found = (yield* get(Q.resolveReference, table, value, field, value))?.sys_id;
      if (found) return found;
    }
    return null;
  }

  /** Caller input as stored strings; references are resolved first, so validation stays synchronous. */
  private *normalize(def: TableDefinition, input: Record<string, unknown>) {
    const resolved = new Map<string, string | null>();
    for (const [target, value] of referenceLookups(def, input)) {
      const key = `${target}\u0000${value}`;
      if (!resolved.has(key)) resolved.set(key, yield* this.resolveReferencePlan(target, value));
    }
    return normalizeInput(def, input, (target, value) => resolved.get(`${target}\u0000${value}`) ?? null);
  }

  /**
   * The number of a new record: the next one, or the one given when it has the table's form
   * (records migrated from elsewhere keep their numbers, so an initial sync can link by them);
   * the counter then moves past a given number.
   */
  private *numberFor(def: TableDefinition, given: unknown): Plan<string> {
    const prefix = def.numberPrefix ?? "";
    const digits = typeof given === "string" && given.startsWith(prefix) ? given.slice(prefix.length) : "";
    if (!/^\d{7,12}$/.test(digits)) return yield* this.nextNumber(def);
    yield* run(Q.startNumber, def.name);
    yield* run(Q.passNumber, Number(digits) + 1, def.name);
    return `${prefix}${digits}`;
  }

  private *nextNumber(def: TableDefinition): Plan<string> {
    let n = (yield* get(Q.nextNumber, def.name))?.n;
    if (n === undefined) {
      yield* run(Q.startNumber, def.name);
      n = (yield* get(Q.nextNumber, def.name))?.n ?? 10001; // the first number
    }
    return `${def.numberPrefix}${String(n).padStart(7, "0")}`;
  }

  private *checkMandatoryAndUnique(def: TableDefinition, data: FieldValues, sysId: string): Plan<void> {
    for (const field of def.fields) {
      const value = data[field.name] ?? "";
      if (field.mandatory && value === "")
        throw badRequest(`Field ${field.name} is mandatory`, "", field.name);
      if (field.unique && value !== "") yield* exclusive(`unique:${def.name}.${field.name}=${value}`); // across processes
      if (field.unique && value !== "" && (yield* get(Q.unique, def.name, field.name, value, sysId))) {
        throw new RecordError(
          409,
          `${field.label} "${value}" is already used`,
          `${def.name}.${field.name} is unique`,
        );
      }
    }
  }

  private *appendJournal(
    def: TableDefinition,
    sysId: string,
    typed: JournalInput[],
    imported: ImportedJournalEntry[] | undefined,
    actor: Actor,
    now: string,
  ): Plan<JournalEntry[]> {
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
      if (yield* get(Q.journalExists, entryId)) continue; // already written: applying twice changes nothing
      entries.push({
        entryId,
        element: j.element,
        value: j.value,
        createdBy: j.createdBy,
        createdOn: j.createdOn,
      });
    }
    for (const e of entries) {
      const remote = actor.originRemote ?? null;
      yield* run(
        Q.insertJournal,
        e.entryId,
        def.name,
        sysId,
        e.element,
        e.value,
        e.createdBy,
        e.createdOn,
        remote,
      );
      yield* run(
        Q.audit,
        def.name,
        sysId,
        "journal",
        e.element,
        null,
        e.value,
        actor.userName,
        actor.origin,
        remote,
        now,
      );
    }
    return entries;
  }

  private *audit(
    def: TableDefinition,
    sysId: string,
    operation: string,
    fields: string[],
    before: RecordValues | null,
    after: RecordValues | null,
    actor: Actor,
    now: string,
  ): Plan<void> {
    const remote = actor.originRemote ?? null;
    const json =
      fields.length === 0
        ? null
        : JSON.stringify(fields.map((field) => [field, before?.[field] ?? null, after?.[field] ?? null]));
    const changes = json === null ? null : packAuditChanges(json);
    yield* run(Q.auditWrite, def.name, sysId, operation, changes, actor.userName, actor.origin, remote, now);
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
  return valuesOf(row, JSON.parse(row.data) as FieldValues);
}

/** A record's values: its stored fields (`data`, row.data parsed) and its sys_ columns. */
function valuesOf(row: RecordRow, data: FieldValues): RecordValues {
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

import type { Plan } from "../storage";
import type { FieldDefinition, TableDefinition } from "../tables/types";
import { systemFields } from "../tables/types";
import type { RecordService } from "./record-service";
import type { JournalEntry, RecordValues } from "./types";

// Display values, as people read records: choice labels instead of codes, the referenced
// record's display field instead of its sys_id, journals rendered as text. Shared by the Table
// API (sysparm_display_value) and the UI. Look-ups are batched: one query per referenced table
// per call, not one per row.

/** Field name → display string, for one record. */
export type DisplayRow = Record<string, string>;

/** Referenced table → (sys_id → display string). */
export type ReferenceDisplays = Map<string, Map<string, string>>;

const defaultJournalLabels: Record<string, string> = {
  comments: "Additional comments",
  work_notes: "Work notes",
};

// SQLite binds at most a few thousand parameters per statement; look ups go in slices.
const lookupSlice = 500;

export interface DisplayOptions {
  /** Render journal fields (one query per row); off when only list columns are needed. */
  journal?: boolean;
}

/** Display strings of every field (and sys_ column) of each row, in the order of `rows`. */
export function displayValues(
  records: RecordService,
  table: string | TableDefinition,
  rows: RecordValues[],
  options: DisplayOptions = {},
): Promise<DisplayRow[]> {
  return records.storage.read(displayValuesPlan(records, table, rows, options));
}

/** `displayValues` as a plan, for a caller's transaction (the capture's payload). */
export function* displayValuesPlan(
  records: RecordService,
  table: string | TableDefinition,
  rows: RecordValues[],
  options: DisplayOptions = {},
): Plan<DisplayRow[]> {
  const def = typeof table === "string" ? records.registry.require(table) : table;
  const references = yield* referenceDisplaysPlan(records, def, rows);
  const journalFields = def.fields.filter((f) => f.type === "journal");
  const renderJournals = options.journal !== false && journalFields.length > 0;
  const journals: JournalEntry[][] = [];
  if (renderJournals) for (const row of rows) journals.push(yield* records.journalPlan(row.sys_id));
  const authors = yield* userDisplayNamesPlan(
    records,
    journals.flatMap((entries) => entries.map((e) => e.createdBy)),
  );
  const labels = {
    ...defaultJournalLabels,
    ...Object.fromEntries(journalFields.map((f) => [f.name, f.label])),
  };

  return rows.map((row, index) => {
    const out: DisplayRow = {};
    for (const name of systemFields) out[name] = row[name] ?? "";
    for (const field of def.fields) {
      if (field.type === "journal") {
        const entries = (journals[index] ?? []).filter((e) => e.element === field.name);
        out[field.name] = renderJournals ? renderJournal(entries, authors, labels) : "";
      } else {
        out[field.name] = displayOf(field, row[field.name] ?? "", references);
      }
    }
    return out;
  });
}

/** The display string of one stored (non-journal) value. */
export function displayOf(field: FieldDefinition, value: string, references?: ReferenceDisplays): string {
  if (value === "") return "";
  switch (field.type) {
    case "choice":
      return field.choices?.find((c) => c.value === value)?.label ?? value;
    case "reference": {
      const shown = references?.get(field.reference ?? "")?.get(value);
      // A dangling reference shows as empty, as ServiceNow does; an unresolved one (no map given)
      // falls back to the sys_id so callers never show a blank by mistake.
      return shown ?? (references ? "" : value);
    }
    default:
      return value;
  }
}

/** Display values of every referenced record of `rows`, one batched query per referenced table. */
export function referenceDisplays(
  records: RecordService,
  def: TableDefinition,
  rows: RecordValues[],
): Promise<ReferenceDisplays> {
  return records.storage.read(referenceDisplaysPlan(records, def, rows));
}

function* referenceDisplaysPlan(
  records: RecordService,
  def: TableDefinition,
  rows: RecordValues[],
): Plan<ReferenceDisplays> {
  const wanted = new Map<string, Set<string>>();
  for (const field of def.fields) {
    if (field.type !== "reference" || !field.reference) continue;
    const ids = wanted.get(field.reference) ?? new Set<string>();
    for (const row of rows) {
      const value = row[field.name];
      if (value) ids.add(value);
    }
    wanted.set(field.reference, ids);
  }
  const result: ReferenceDisplays = new Map();
  for (const [tableName, ids] of wanted) {
    const target = records.registry.get(tableName);
    const shown = new Map<string, string>();
    result.set(tableName, shown);
    if (!target || ids.size === 0) continue;
    const { known, missing } = records.knownDisplays(tableName, ids);
    for (const [id, display] of known) shown.set(id, display);
    for (const slice of slices(missing)) {
      const { rows: found } = yield* records.listPlan(tableName, {
        query: `sys_idIN${slice.join(",")}`,
        limit: slice.length,
        count: false,
      });
      for (const r of found) shown.set(r.sys_id, r[target.displayField] ?? "");
    }
    records.learnDisplays(tableName, missing);
  }
  return result;
}

/** user_name → the user's name (for journal headers); unknown users are left out. */
export function userDisplayNames(
  records: RecordService,
  userNames: Iterable<string>,
): Promise<Map<string, string>> {
  return records.storage.read(userDisplayNamesPlan(records, userNames));
}

function* userDisplayNamesPlan(
  records: RecordService,
  userNames: Iterable<string>,
): Plan<Map<string, string>> {
  const names = new Map<string, string>();
  // Names with "," or "^" cannot be written in an encoded IN list; they show as their user name.
  const wanted = [...new Set(userNames)].filter((n) => n !== "" && !/[,^]/.test(n));
  for (const slice of slices(wanted)) {
    const { rows } = yield* records.listPlan("sys_user", {
      query: `user_nameIN${slice.join(",")}`,
      limit: slice.length,
      count: false,
    });
    for (const u of rows) if (u.user_name && u.name) names.set(u.user_name, u.name);
  }
  return names;
}

/**
 * Journal entries as ServiceNow shows them, newest first:
 * "2026-11-29 15:00:00 - System Administrator (Additional comments)\nthe text\n\n".
 * Entries that arrived by sync keep their original time, so order is by time, not by arrival.
 */
export function renderJournal(
  entries: readonly JournalEntry[],
  usersByName?: ReadonlyMap<string, string>,
  labels: Record<string, string> = defaultJournalLabels,
): string {
  return [...entries]
    .sort((a, b) => (a.createdOn < b.createdOn ? 1 : a.createdOn > b.createdOn ? -1 : 0))
    .map((e) => {
      const author = usersByName?.get(e.createdBy) ?? e.createdBy;
      const label = labels[e.element] ?? e.element;
      return `${e.createdOn} - ${author} (${label})\n${e.value}\n\n`;
    })
    .join("");
}

function slices<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += lookupSlice) out.push(items.slice(i, i + lookupSlice));
  return out;
}

import type { AuthUser } from "../auth/roles";
import { displayOf, displayValues, referenceDisplays, userDisplayNames } from "../records/display-values";
import type { RecordService } from "../records/record-service";
import type { TableDefinition } from "../tables/types";
import { badRequest } from "../util/errors";
import { canWriteTable } from "./access";
import type { AuditRow } from "./history";
import { viewOf } from "./table-views";

// Read models of the records UI, as plain functions of the record service so tests can call
// them without HTTP. Procedures in routers/records.ts only validate and delegate.

const sysLabels: Record<string, string> = {
  sys_id: "Sys ID",
  sys_created_on: "Created",
  sys_created_by: "Created by",
  sys_updated_on: "Updated",
  sys_updated_by: "Updated by",
  sys_mod_count: "Updates",
  sys_domain: "Domain",
};

function tableView(def: TableDefinition, user: AuthUser) {
  return {
    name: def.name,
    label: def.label,
    numberPrefix: def.numberPrefix,
    displayField: def.displayField,
    fields: def.fields,
    ...viewOf(def),
    canWrite: canWriteTable(user, def.name),
  };
}

export function tableViews(records: RecordService, user: AuthUser) {
  return records.registry.list().map((def) => tableView(def, user));
}

/** The view of one table, or null when the registry has no such table. */
export function tableViewFor(records: RecordService, user: AuthUser, table: string) {
  const def = records.registry.get(table);
  return def ? tableView(def, user) : null;
}

export function columnOf(def: TableDefinition, name: string) {
  const field = def.fields.find((f) => f.name === name);
  if (field) return { name, label: field.label, type: field.type };
  const type = name.endsWith("_on") ? "datetime" : "string";
  return { name, label: sysLabels[name] ?? name, type };
}

/** Strips characters that would end an encoded-query term inside a user's search text. */
export function queryText(text: string): string {
  return text.replace(/\^/g, " ").trim();
}

export async function listRecords(
  records: RecordService,
  input: {
    table: string;
    query: string;
    limit: number;
    offset: number;
    orderBy?: { field: string; descending: boolean };
  },
) {
  const def = records.registry.require(input.table);
  const view = viewOf(def);
  const sort = input.orderBy
    ? `${input.orderBy.descending ? "ORDERBYDESC" : "ORDERBY"}${input.orderBy.field}`
    : "";
  const query = [input.query.trim(), sort].filter((p) => p !== "").join("^");
  const { rows, total } = await records.list(def.name, { query, limit: input.limit, offset: input.offset });
  const display = await displayValues(records, def, rows, { journal: false });
  const pick = (source: Record<string, string>) =>
    Object.fromEntries(view.columns.map((c) => [c, source[c] ?? ""]));
  return {
    columns: view.columns.map((c) => columnOf(def, c)),
    rows: rows.map((row, i) => ({ sysId: row.sys_id, values: pick(row), display: pick(display[i] ?? {}) })),
    total,
    query,
  };
}

export async function recordView(records: RecordService, user: AuthUser, table: string, sysId: string) {
  const def = records.registry.require(table);
  const values = await records.require(table, sysId);
  const [display = {}] = await displayValues(records, def, [values], { journal: false });
  const entries = await records.journal(sysId);
  const authors = await userDisplayNames(
    records,
    entries.map((e) => e.createdBy),
  );
  const labelOf = (element: string) => def.fields.find((f) => f.name === element)?.label ?? element;
  return {
    values,
    display,
    // Newest first by time: entries that arrive by sync keep their original time.
    journal: [...entries]
      .sort((a, b) => (a.createdOn < b.createdOn ? 1 : a.createdOn > b.createdOn ? -1 : 0))
      .map((e) => ({
        ...e,
        elementLabel: labelOf(e.element),
        authorName: authors.get(e.createdBy) ?? e.createdBy,
      })),
    canWrite: canWriteTable(user, table),
  };
}

export function journalField(def: TableDefinition, element: string) {
  const field = def.fields.find((f) => f.name === element && f.type === "journal");
  if (!field) throw badRequest(`${def.label} has no journal field "${element}"`, "", element);
  return field;
}

/** Candidates for a reference picker: display field or lookup fields containing `text`. */
export async function searchReferences(
  records: RecordService,
  input: { table: string; text: string; limit: number; sysId?: string },
) {
  const { table, limit } = input;
  const def = records.registry.require(table);
  const needle = queryText(input.text);
  const fields = [def.displayField, ...(def.lookupFields ?? [])];
  const filter = input.sysId
    ? `sys_id=${input.sysId}`
    : needle === ""
      ? ""
      : fields.map((f, i) => `${i === 0 ? "" : "OR"}${f}LIKE${needle}`).join("^");
  const query = [filter, `ORDERBY${def.displayField}`].filter((p) => p !== "").join("^");
  const { rows } = await records.list(table, { query, limit });
  const detailField = def.lookupFields?.[0] ?? def.fields.find((f) => f.name === "description")?.name;
  return rows.map((r) => ({
    sysId: r.sys_id,
    display: r[def.displayField] ?? "",
    detail: detailField ? (r[detailField] ?? "") : "",
  }));
}

/** Old and new values of audit rows, shown as people read them (labels, display values). */
export async function displayAuditValues(records: RecordService, def: TableDefinition, entries: AuditRow[]) {
  const pseudoRows = entries.flatMap((e) =>
    e.field
      ? [
          { sys_id: "", [e.field]: e.oldValue ?? "" },
          { sys_id: "", [e.field]: e.newValue ?? "" },
        ]
      : [],
  );
  const references = await referenceDisplays(records, def, pseudoRows);
  const shown = (field: string | null, value: string | null) => {
    const definition = field ? def.fields.find((f) => f.name === field) : undefined;
    if (value === null || !definition) return value;
    return displayOf(definition, value, references);
  };
  return entries.map((e) => ({
    id: e.id,
    at: e.at,
    user: e.user,
    origin: e.origin,
    operation: e.operation,
    field: e.field,
    fieldLabel: e.field ? columnOf(def, e.field).label : null,
    oldValue: shown(e.field, e.oldValue),
    newValue: shown(e.field, e.newValue),
  }));
}

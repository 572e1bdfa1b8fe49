import { z } from "zod";
import { DataError } from "../ports/errors";
import type { FieldInfo, RecordsPort, RecordValues, TableInfo } from "../ports/ports";
import { defineNodeType } from "../registry/types";
import { bindingSchema, optionalBinding } from "../schema/binding";
import { t } from "../schema/value-type";
import { tableSetting, toJournal } from "./shared";

const rowSchema = z.object({
  field: z.string().min(1, "choose a target field"),
  value: bindingSchema,
  /** Value map such as severity → urgency: source value (as text) → target value. */
  valueMap: z.record(z.string(), z.string()).optional(),
});

const configSchema = z.object({
  table: tableSetting,
  /** Changed fields keyed by name (Transform Payload) or a plain field → value object. */
  source: optionalBinding(),
  /** "Map all included fields": every source field that exists on the table. Rows override. */
  mapAll: z.boolean().default(true),
  onlyChanged: z.boolean().default(false),
  rows: z.array(rowSchema).default([]),
  journal: optionalBinding(),
});

const SYS_ID = /^[0-9a-f]{32}$/;

interface SourceEntry {
  value: unknown;
  display: unknown;
  changed: boolean;
}

/** A captured changed field `{ value, display_value, changed }`, or a plain value. */
function entryOf(raw: unknown): SourceEntry {
  if (raw !== null && typeof raw === "object" && !Array.isArray(raw) && Object.hasOwn(raw, "value")) {
    const r = raw as { value: unknown; display_value?: unknown; changed?: unknown };
    return { value: r.value, display: r.display_value ?? r.value, changed: r.changed !== false };
  }
  return { value: raw, display: raw, changed: true };
}

/** References travel by display value (a name), since sys_ids differ between instances. */
async function resolveReference(records: RecordsPort, field: FieldInfo, display: unknown): Promise<unknown> {
  if (display === null || display === undefined || display === "") return "";
  const text = String(display);
  if (!field.reference) return text;
  if (SYS_ID.test(text)) return text;
  const { table, displayField } = field.reference;
  const found = await records.lookup(table, { where: { [displayField]: text } });
  return found ? found.sys_id : undefined;
}

// Table infos are long-lived (the registry's); index each once rather than per run.
const indexes = new WeakMap<TableInfo, Map<string, FieldInfo>>();
function fieldIndex(info: TableInfo): Map<string, FieldInfo> {
  let m = indexes.get(info);
  if (!m) {
    m = new Map(info.fields.map((f) => [f.name, f]));
    indexes.set(info, m);
  }
  return m;
}

export const mapFields = defineNodeType({
  id: "map_fields",
  version: 1,
  label: "Map Fields",
  group: "Records",
  description: "Builds target field values from pills, expressions and constants, with value maps.",
  ports: ["next"],
  configSchema,
  inputs: {
    source: { type: "object", label: "Source fields" },
    journal: { type: "array", label: "Journal entries" },
  },
  outputs: () =>
    t.object({
      values: t.object({}, { open: true, label: "Field values" }),
      journal: t.array(t.object({}, { open: true }), "Journal entries"),
      skipped: t.array(t.string(), "Skipped fields"),
    }),
  sideEffects: false,
  async execute(ctx, c) {
    const records = ctx.ports.records;
    const info = await records.describe(c.table);
    if (!info) throw new DataError(`Unknown table "${c.table}".`, { code: "UNKNOWN_TABLE", field: "table" });
    const fields = fieldIndex(info);
    const values: RecordValues = {};
    const skipped: string[] = [];
    const source = c.source;
    if (c.mapAll && source !== null && typeof source === "object" && !Array.isArray(source)) {
      for (const key of Object.keys(source)) {
        const field = fields.get(key);
        if (!field || key.startsWith("sys_") || field.type === "journal") {
          if (!key.startsWith("sys_")) skipped.push(key);
          continue;
        }
        const entry = entryOf((source as Record<string, unknown>)[key]);
        if (c.onlyChanged && !entry.changed) continue;
        if (field.type === "reference") {
          const ref = await resolveReference(records, field, entry.display);
          if (ref === undefined) skipped.push(key);
          else values[key] = ref;
        } else values[key] = entry.value;
      }
    }
    for (const row of c.rows) {
      const field = fields.get(row.field);
      if (!field) {
        throw new DataError(`Map Fields: "${row.field}" is not a field of ${c.table}.`, {
          code: "UNKNOWN_FIELD",
          field: row.field,
        });
      }
      let v = entryOf(row.value).value;
      if (row.valueMap && v !== null && v !== undefined && Object.hasOwn(row.valueMap, String(v))) {
        v = row.valueMap[String(v)];
      }
      values[row.field] =
        field.type === "reference" ? ((await resolveReference(records, field, v)) ?? "") : v;
    }
    const journal = toJournal(c.journal, "journal").filter((j) => fields.get(j.element)?.type === "journal");
    return { outputs: { values, journal, skipped } };
  },
});

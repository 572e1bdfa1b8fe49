import { type DisplayRow, displayValues } from "../records/display-values";
import type { RecordService } from "../records/record-service";
import type { RecordValues } from "../records/types";
import type { FieldDefinition, TableDefinition } from "../tables/types";
import { systemFields } from "../tables/types";
import type { DisplayMode } from "./query-params";

// How a record looks in a Table API response, following ServiceNow:
// - sysparm_display_value=false: stored values; references as { link, value }.
// - true: display values (choice labels, the referenced record's display field, journals as
//   text); references as { link, display_value }.
// - all: { display_value, value } per field; references add link.
// - sysparm_exclude_reference_link=true: references as plain strings, no link object.
// Journal fields (comments, work_notes) have no stored value of their own: their value is ""
// and their display value is the rendered journal, newest entry first. That is what ServiceNow
// answers, so scripts that read `comments` with display values keep working.

export interface ViewOptions {
  displayValue: DisplayMode;
  excludeReferenceLink: boolean;
  /** Requested fields (unknown names are omitted, as ServiceNow does); undefined for all. */
  fields?: readonly string[];
  /** Public base URL of this instance, for reference links. */
  baseUrl: string;
}

type FieldOut = string | Record<string, string>;

export async function renderRecords(
  records: RecordService,
  def: TableDefinition,
  rows: RecordValues[],
  options: ViewOptions,
): Promise<Record<string, FieldOut>[]> {
  const columns = outputColumns(def, options.fields);
  const needDisplay = options.displayValue !== "false";
  const displays: DisplayRow[] = needDisplay
    ? await displayValues(records, def, rows, { journal: columns.some((c) => c.field?.type === "journal") })
    : [];
  return rows.map((row, index) => {
    const out: Record<string, FieldOut> = {};
    for (const { name, field } of columns) {
      const value = field?.type === "journal" ? "" : (row[name] ?? "");
      const display = displays[index]?.[name] ?? value;
      out[name] = fieldOut(field, value, display, options);
    }
    return out;
  });
}

function fieldOut(
  field: FieldDefinition | undefined,
  value: string,
  display: string,
  options: ViewOptions,
): FieldOut {
  const { displayValue: mode } = options;
  const linked = field?.type === "reference" && value !== "" && !options.excludeReferenceLink;
  if (linked) {
    const link = `${options.baseUrl}/api/now/table/${field.reference}/${value}`;
    if (mode === "false") return { link, value };
    if (mode === "true") return { link, display_value: display };
    return { display_value: display, link, value };
  }
  if (mode === "false") return value;
  if (mode === "true") return display;
  return { display_value: display, value };
}

interface Column {
  name: string;
  /** The field definition; undefined for sys_ columns. */
  field: FieldDefinition | undefined;
}

function outputColumns(def: TableDefinition, requested: readonly string[] | undefined): Column[] {
  const all: Column[] = [
    ...def.fields.map((field) => ({ name: field.name, field })),
    ...systemFields.map((name) => ({ name, field: undefined })),
  ];
  if (!requested) return all;
  const byName = new Map(all.map((c) => [c.name, c]));
  return [...new Set(requested)].flatMap((name) => {
    const column = byName.get(name);
    return column ? [column] : [];
  });
}

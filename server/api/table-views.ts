import { roles } from "../auth/roles";
import type { TableDefinition } from "../tables/types";

// How each business table shows in the UI: list columns and the fields the search box looks
// in. Tables not listed here get their display field and first few fields, so a table added
// to the registry later still gets a usable list without code changes.

export interface FormSection {
  /** Heading of the section; null for the first, untitled one. */
  title: string | null;
  fields: string[];
}

interface ViewHints {
  plural: string;
  /** Form layout; fields the layout leaves out follow in a last section, so none is ever hidden. */
  form?: FormSection[];
  /** Help shown under a field. */
  fieldHints?: Record<string, string>;
  columns: string[];
  /** Fields the list's search box matches with LIKE (OR-ed), display field first. */
  search: string[];
  /** Default order of the list. */
  orderBy: { field: string; descending: boolean };
}

const hints: Record<string, ViewHints> = {
  incident: {
    plural: "Incidents",
    columns: [
      "number",
      "short_description",
      "state",
      "priority",
      "assignment_group",
      "assigned_to",
      "sys_updated_on",
    ],
    search: ["number", "short_description"],
    orderBy: { field: "number", descending: true },
    form: [
      {
        title: null,
        fields: [
          "number",
          "caller",
          "category",
          "state",
          "impact",
          "urgency",
          "priority",
          "severity",
          "assignment_group",
          "assigned_to",
          "short_description",
          "description",
        ],
      },
      { title: "Resolution", fields: ["close_code", "resolved_by", "close_notes"] },
    ],
  },
  sys_user_group: {
    plural: "Groups",
    columns: ["name", "description", "manager", "email", "active", "sys_updated_on"],
    search: ["name", "description"],
    orderBy: { field: "name", descending: false },
    form: [{ title: null, fields: ["name", "manager", "email", "active", "description"] }],
  },
  sys_user: {
    plural: "Users",
    columns: ["user_name", "name", "email", "roles", "active", "sys_updated_on"],
    search: ["name", "user_name", "email"],
    orderBy: { field: "name", descending: false },
    form: [{ title: null, fields: ["user_name", "name", "email", "active", "roles"] }],
    fieldHints: { roles: `Comma-separated, from: ${roles.join(", ")}` },
  },
};

export interface TableView {
  plural: string;
  columns: string[];
  search: string[];
  orderBy: { field: string; descending: boolean };
  form: FormSection[];
  fieldHints: Record<string, string>;
}

/** The layout's sections, plus every editable field it does not place. */
function formOf(def: TableDefinition, layout: FormSection[] | undefined): FormSection[] {
  const editable = def.fields.filter((f) => f.type !== "journal").map((f) => f.name);
  const sections = (layout ?? []).map((s) => ({
    ...s,
    fields: s.fields.filter((f) => editable.includes(f)),
  }));
  const placed = new Set(sections.flatMap((s) => s.fields));
  const rest = editable.filter((f) => !placed.has(f));
  if (rest.length > 0) sections.push({ title: sections.length === 0 ? null : "More", fields: rest });
  return sections;
}

export function viewOf(def: TableDefinition): TableView {
  const hint = hints[def.name];
  if (hint) {
    const { form, fieldHints, ...rest } = hint;
    return { ...rest, form: formOf(def, form), fieldHints: fieldHints ?? {} };
  }
  const plain = def.fields.filter((f) => f.type !== "journal" && f.type !== "text").map((f) => f.name);
  const columns = [def.displayField, ...plain.filter((n) => n !== def.displayField)].slice(0, 6);
  return {
    plural: `${def.label}s`,
    columns: [...columns, "sys_updated_on"],
    search: [def.displayField],
    orderBy: { field: "sys_updated_on", descending: true },
    form: formOf(def, undefined),
    fieldHints: {},
  };
}

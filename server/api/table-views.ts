import type { TableDefinition } from "../tables/types";

// How each business table shows in the UI: list columns and the fields the search box looks
// in. Tables not listed here get their display field and first few fields, so a table added
// to the registry later still gets a usable list without code changes.

interface ViewHints {
  plural: string;
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
  },
  sys_user_group: {
    plural: "Groups",
    columns: ["name", "description", "manager", "email", "active", "sys_updated_on"],
    search: ["name", "description"],
    orderBy: { field: "name", descending: false },
  },
  sys_user: {
    plural: "Users",
    columns: ["user_name", "name", "email", "roles", "active", "sys_updated_on"],
    search: ["name", "user_name", "email"],
    orderBy: { field: "name", descending: false },
  },
};

export interface TableView {
  plural: string;
  columns: string[];
  search: string[];
  orderBy: { field: string; descending: boolean };
}

export function viewOf(def: TableDefinition): TableView {
  const hint = hints[def.name];
  if (hint) return hint;
  const plain = def.fields.filter((f) => f.type !== "journal" && f.type !== "text").map((f) => f.name);
  const columns = [def.displayField, ...plain.filter((n) => n !== def.displayField)].slice(0, 6);
  return {
    plural: `${def.label}s`,
    columns: [...columns, "sys_updated_on"],
    search: [def.displayField],
    orderBy: { field: "sys_updated_on", descending: true },
  };
}

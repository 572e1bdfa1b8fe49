import type { TableViewOutput } from "@/server/api/routers/records.types";

// The state of a list view (search text, one field filter, sort, page) and how it becomes the
// ServiceNow encoded query the list shows and sends. Pure, so it is unit-tested.

export const pageSize = 20;

export interface FieldFilter {
  field: string;
  operator: string;
  value: string;
}

export interface ListState {
  text: string;
  filter: FieldFilter | null;
  sort: { field: string; descending: boolean } | null;
  page: number;
}

export const emptyListState: ListState = { text: "", filter: null, sort: null, page: 1 };

export interface OperatorOption {
  value: string;
  label: string;
  /** Operators like ISEMPTY take no value. */
  unary?: boolean;
}

const is: OperatorOption = { value: "=", label: "is" };
const isNot: OperatorOption = { value: "!=", label: "is not" };
const contains: OperatorOption = { value: "LIKE", label: "contains" };
const startsWith: OperatorOption = { value: "STARTSWITH", label: "starts with" };
const greater: OperatorOption = { value: ">", label: "greater than" };
const less: OperatorOption = { value: "<", label: "less than" };
const empty: OperatorOption = { value: "ISEMPTY", label: "is empty", unary: true };
const notEmpty: OperatorOption = { value: "ISNOTEMPTY", label: "is not empty", unary: true };

/** The operators that make sense for a field type (a reference compares sys_ids, so no LIKE). */
export function operatorsFor(type: string): OperatorOption[] {
  switch (type) {
    case "string":
    case "text":
      return [contains, is, isNot, startsWith, empty, notEmpty];
    case "choice":
    case "integer":
    case "datetime":
      return [is, isNot, less, greater, empty, notEmpty];
    case "reference":
      return [is, isNot, empty, notEmpty];
    case "boolean":
      return [is, isNot];
    default:
      return [is, isNot];
  }
}

export function isUnary(operator: string): boolean {
  return operator === "ISEMPTY" || operator === "ISNOTEMPTY";
}

/** Removes the characters that would split an encoded-query term. */
function clean(text: string): string {
  return text.replace(/\^/g, " ").trim();
}

export function searchTerms(view: Pick<TableViewOutput, "search">, text: string): string {
  const needle = clean(text);
  if (needle === "") return "";
  return view.search.map((field, i) => `${i === 0 ? "" : "OR"}${field}LIKE${needle}`).join("^");
}

export function filterTerm(filter: FieldFilter | null): string {
  if (!filter || filter.field === "") return "";
  if (isUnary(filter.operator)) return `${filter.field}${filter.operator}`;
  const value = clean(filter.value);
  if (value === "") return "";
  return `${filter.field}${filter.operator}${value}`;
}

/** The full encoded query: search terms, the field filter, then the sort. */
export function encodedQuery(view: Pick<TableViewOutput, "search" | "orderBy">, state: ListState): string {
  const sort = state.sort ?? view.orderBy;
  const order = `${sort.descending ? "ORDERBYDESC" : "ORDERBY"}${sort.field}`;
  return [searchTerms(view, state.text), filterTerm(state.filter), order].filter((t) => t !== "").join("^");
}

/** The sort after clicking a column header: ascending first, then flip. */
export function nextSort(
  current: ListState["sort"],
  fallback: { field: string; descending: boolean },
  field: string,
): { field: string; descending: boolean } {
  const active = current ?? fallback;
  if (active.field === field) return { field, descending: !active.descending };
  return { field, descending: false };
}

export function fromSearchParams(params: Record<string, string | string[] | undefined>): ListState {
  const one = (key: string) => {
    const v = params[key];
    return Array.isArray(v) ? (v[0] ?? "") : (v ?? "");
  };
  const page = Number.parseInt(one("page"), 10);
  const field = one("field");
  const sort = one("sort");
  return {
    text: one("q"),
    filter: field ? { field, operator: one("op") || "=", value: one("value") } : null,
    sort: sort ? { field: sort, descending: one("dir") === "desc" } : null,
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}

export function toSearchParams(state: ListState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.text.trim()) params.set("q", state.text.trim());
  if (state.filter?.field) {
    params.set("field", state.filter.field);
    params.set("op", state.filter.operator);
    if (!isUnary(state.filter.operator)) params.set("value", state.filter.value);
  }
  if (state.sort) {
    params.set("sort", state.sort.field);
    params.set("dir", state.sort.descending ? "desc" : "asc");
  }
  if (state.page > 1) params.set("page", String(state.page));
  return params;
}

/** "1–20 of 57"; "0 of 0" when empty. */
export function rangeLabel(page: number, total: number): string {
  if (total === 0) return "0 of 0";
  const first = (page - 1) * pageSize + 1;
  const last = Math.min(page * pageSize, total);
  return `${first}–${last} of ${total}`;
}

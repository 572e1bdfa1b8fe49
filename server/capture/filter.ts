import type { FieldValues } from "../records/types";
import type { CaptureFilter, FilterCondition } from "../sync/config-schemas";

export interface FilterInput {
  operation: "create" | "update" | "delete";
  before: FieldValues | null;
  after: FieldValues | null;
}

/**
 * Evaluates a capture filter (SPEC 2) against a change. Plain operators look at the record as
 * it is after the change (before it, for a delete); the change operators compare both sides.
 */
export function matchesFilter(filter: CaptureFilter, input: FilterInput): boolean {
  if (filter.groups.length === 0) return true;
  const results = filter.groups.map((group) => {
    if (group.conditions.length === 0) return true;
    const each = group.conditions.map((c) => matchesCondition(c, input));
    return group.match === "all" ? each.every(Boolean) : each.some(Boolean);
  });
  return filter.match === "all" ? results.every(Boolean) : results.some(Boolean);
}

function matchesCondition(c: FilterCondition, input: FilterInput): boolean {
  const current = (input.operation === "delete" ? input.before : input.after) ?? {};
  const value = current[c.field] ?? "";
  const previous = input.operation === "create" ? "" : (input.before?.[c.field] ?? "");
  const changed = input.operation !== "delete" && value !== previous;
  switch (c.operator) {
    case "is":
      return value === c.value;
    case "is_not":
      return value !== c.value;
    case "one_of":
      return c.value
        .split(",")
        .map((v) => v.trim())
        .includes(value);
    case "empty":
      return value === "";
    case "not_empty":
      return value !== "";
    case "contains":
      return value.toLowerCase().includes(c.value.toLowerCase());
    case "starts_with":
      return value.toLowerCase().startsWith(c.value.toLowerCase());
    case "gt":
      return compare(value, c.value) > 0;
    case "lt":
      return compare(value, c.value) < 0;
    case "changes":
      return changed;
    case "changes_to":
      return changed && value === c.value;
    case "changes_from":
      return changed && previous === c.value;
  }
}

/** Numbers compare as numbers (state, priority), anything else as text. */
function compare(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (a !== "" && b !== "" && !Number.isNaN(x) && !Number.isNaN(y)) return x - y;
  return a.localeCompare(b);
}

import { badRequest } from "../util/errors";

// Parser for ServiceNow encoded queries (SPEC 1.4). Pure: no database, no registry.
// Grammar: queries joined by ^NQ (OR of whole queries); terms joined by ^ (AND);
// a term starting with OR is OR-ed with the term before it; ORDERBY / ORDERBYDESC terms sort.

export const operators = [
  "ISNOTEMPTY",
  "ISEMPTY",
  "STARTSWITH",
  "ENDSWITH",
  "NOTLIKE",
  "NOT IN",
  "LIKE",
  "IN",
  "!=",
  ">=",
  "<=",
  "=",
  ">",
  "<",
] as const;
export type Operator = (typeof operators)[number];

export interface Condition {
  field: string;
  operator: Operator;
  value: string;
}
/** AND of groups, each group an OR of conditions. */
export type Conjunction = Condition[][];
export interface OrderBy {
  field: string;
  descending: boolean;
}
export interface EncodedQuery {
  /** OR of conjunctions (from ^NQ); empty means "all records". */
  disjunction: Conjunction[];
  orderBy: OrderBy[];
}

const fieldPattern = /^[a-z_][a-z0-9_]*/;

export function parseEncodedQuery(input: string | null | undefined): EncodedQuery {
  const result: EncodedQuery = { disjunction: [], orderBy: [] };
  const text = (input ?? "").trim();
  if (text === "") return result;
  for (const part of text.split("^NQ")) {
    const conjunction: Conjunction = [];
    for (const raw of part.split("^")) {
      const term = raw.trim();
      if (term === "" || term === "EQ") continue;
      if (term.startsWith("ORDERBYDESC")) {
        result.orderBy.push({ field: orderField(term.slice(11)), descending: true });
      } else if (term.startsWith("ORDERBY")) {
        result.orderBy.push({ field: orderField(term.slice(7)), descending: false });
      } else if (conjunction.length > 0 && /^OR[a-z_]/.test(term)) {
        // Field names are lower case, so "ORstate=1" is an OR term and "order=1" is not.
        conjunction[conjunction.length - 1]?.push(parseCondition(term.slice(2)));
      } else {
        conjunction.push([parseCondition(term)]);
      }
    }
    if (conjunction.length > 0) result.disjunction.push(conjunction);
  }
  return result;
}

function orderField(name: string): string {
  const field = name.trim();
  if (!fieldPattern.test(field) || field.match(fieldPattern)?.[0] !== field) {
    throw badRequest("Invalid sysparm_query", `ORDERBY needs a field name, got "${name}"`);
  }
  return field;
}

function parseCondition(term: string): Condition {
  const fieldMatch = term.match(fieldPattern);
  if (!fieldMatch) throw badRequest("Invalid sysparm_query", `Cannot read a field name in "${term}"`);
  const field = fieldMatch[0];
  const rest = term.slice(field.length);
  for (const operator of operators) {
    if (rest.startsWith(operator)) {
      const value = rest.slice(operator.length);
      if ((operator === "ISEMPTY" || operator === "ISNOTEMPTY") && value !== "") {
        throw badRequest("Invalid sysparm_query", `${operator} takes no value in "${term}"`);
      }
      return { field, operator, value };
    }
  }
  throw badRequest("Invalid sysparm_query", `Unknown operator in "${term}"`);
}

/** Splits the value list of IN / NOT IN. */
export function listValues(value: string): string[] {
  return value
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "");
}

import type { Dialect } from "../storage";
import type { TableDefinition } from "../tables/types";
import { isSystemField } from "../tables/types";
import { badRequest } from "../util/errors";
import { type Condition, type EncodedQuery, listValues, type Operator } from "./encoded-query";

const sysColumns: Record<string, string> = {
  sys_id: "sys_id",
  sys_created_on: "sys_created_on",
  sys_created_by: "sys_created_by",
  sys_updated_on: "sys_updated_on",
  sys_updated_by: "sys_updated_by",
  sys_mod_count: "sys_mod_count",
  sys_domain: "sys_domain",
};

export interface SqlFragment {
  where: string;
  orderBy: string;
  params: unknown[];
}

/** How SQLite compares and sorts, written for each dialect. */
interface Flavor {
  /** A field of the record's JSON data, as SQL text (or NULL). */
  json(field: string): string;
  /** The value compared as an integer (SQLite: CAST(… AS INTEGER): the leading integer, 0 for other text). */
  integer(expr: string, column: boolean): string;
  /** The value as text, for LIKE and emptiness. */
  text(expr: string, numericColumn: boolean): string;
  /** The value as text for comparisons and sorting: byte order. */
  ordered(text: string): string;
  like: string;
  true: string;
  false: string;
  sort(expr: string, descending: boolean): string;
  tail: string[];
}

const sqliteFlavor: Flavor = {
  json: (field) => `json_extract(data, '$.${field}')`,
  integer: (expr) => `CAST(${expr} AS INTEGER)`,
  text: (expr) => expr,
  ordered: (text) => text,
  like: "LIKE",
  true: "1",
  false: "0",
  sort: (expr, descending) => `${expr} ${descending ? "DESC" : "ASC"}`,
  tail: ["sys_created_on DESC", "sys_id"],
};

// PostgreSQL as SQLite: JSON data is text (cast to jsonb here); text compares and sorts in byte
// order (COLLATE "C"); LIKE is case-insensitive for ASCII letters only (ILIKE under "C"); NULLs
// sort first ascending and last descending; a numeric field's value is SQLite's CAST AS INTEGER.
const postgresFlavor: Flavor = {
  json: (field) => `(data::jsonb ->> '${field}')`,
  integer: (expr, column) =>
    column
      ? expr
      : `(CASE WHEN ${expr} IS NOT NULL THEN coalesce(substring(${expr} from '^\\s*([-+]?[0-9]+)'), '0')::bigint END)`,
  text: (expr, numericColumn) => (numericColumn ? `${expr}::text` : expr),
  ordered: (text) => `${text} COLLATE "C"`,
  like: "ILIKE",
  true: "TRUE",
  false: "FALSE",
  sort: (expr, descending) => `${expr} ${descending ? "DESC NULLS LAST" : "ASC NULLS FIRST"}`,
  tail: ['sys_created_on COLLATE "C" DESC', 'sys_id COLLATE "C"'],
};

/** Operators that read a numeric field's value as text, on both dialects. */
const textOperators = new Set<Operator>([
  "LIKE",
  "NOTLIKE",
  "STARTSWITH",
  "ENDSWITH",
  "ISEMPTY",
  "ISNOTEMPTY",
]);

/** A number as SQLite's numeric affinity reads one from text (so it compares with an integer as a number). */
const realLiteral = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/**
 * Turns a parsed encoded query into a WHERE / ORDER BY over the `record` table, for SQLite (the
 * default) or PostgreSQL, with the same answers in the same order on both.
 * Field names are checked against the registry (never interpolated unchecked); values are
 * always bound parameters.
 */
export function queryToSql(
  table: TableDefinition,
  query: EncodedQuery,
  dialect: Dialect = "sqlite",
): SqlFragment {
  const f = dialect === "postgres" ? postgresFlavor : sqliteFlavor;
  const params: unknown[] = [];
  const fieldTypes = new Map(table.fields.map((f) => [f.name, f.type]));
  // Choice lists of numbers (state, impact…) compare as numbers, as users expect of "state<6".
  const numericFields = new Set(
    table.fields
      .filter(
        (f) =>
          f.type === "integer" || (f.type === "choice" && f.choices?.every((c) => /^-?\d+$/.test(c.value))),
      )
      .map((f) => f.name),
  );

  const column = (field: string, purpose: string): { expr: string; numeric: boolean; system: boolean } => {
    if (isSystemField(field)) {
      return { expr: sysColumns[field] ?? field, numeric: field === "sys_mod_count", system: true };
    }
    const type = fieldTypes.get(field);
    if (!type || type === "journal") {
      throw badRequest(
        `Invalid ${purpose}: unknown field "${field}" for table ${table.name}`,
        `Fields of ${table.name}: ${table.fields
          .filter((f) => f.type !== "journal")
          .map((f) => f.name)
          .join(", ")}`,
        field,
      );
    }
    return { expr: f.json(field), numeric: numericFields.has(field), system: false };
  };

  const condition = (c: Condition): string => {
    const { expr, numeric, system } = column(c.field, "sysparm_query");
    const text = f.text(expr, numeric && system);
    const bound = numeric ? f.integer(expr, system) : f.ordered(text);
    const like = (pattern: string) => {
      params.push(pattern);
      return `${f.ordered(text)} ${f.like} ? ESCAPE '\\'`;
    };
    const notLike = (pattern: string) => {
      params.push(pattern);
      return `(${text} IS NULL OR ${f.ordered(text)} NOT ${f.like} ? ESCAPE '\\')`;
    };
    if (numeric && dialect === "postgres" && !textOperators.has(c.operator))
      return numericCondition(c, bound, params, f);
    const value = (v: string) => {
      params.push(numeric && /^-?\d+$/.test(v) ? Number(v) : v);
      return "?";
    };
    switch (c.operator) {
      case "=":
        return `${bound} = ${value(c.value)}`;
      case "!=":
        return `(${bound} IS NULL OR ${bound} != ${value(c.value)})`;
      case ">":
      case "<":
      case ">=":
      case "<=":
        return `${bound} ${c.operator} ${value(c.value)}`;
      case "LIKE":
        return like(`%${escapeLike(c.value)}%`);
      case "NOTLIKE":
        return notLike(`%${escapeLike(c.value)}%`);
      case "STARTSWITH":
        return like(`${escapeLike(c.value)}%`);
      case "ENDSWITH":
        return like(`%${escapeLike(c.value)}`);
      case "IN":
      case "NOT IN": {
        const items = listValues(c.value);
        if (items.length === 0) return c.operator === "IN" ? f.false : f.true;
        const list = items.map((v) => value(v)).join(", ");
        return c.operator === "IN"
          ? `${bound} IN (${list})`
          : `(${bound} IS NULL OR ${bound} NOT IN (${list}))`;
      }
      case "ISEMPTY":
        return `(${text} IS NULL OR ${text} = '')`;
      case "ISNOTEMPTY":
        return `(${text} IS NOT NULL AND ${text} != '')`;
    }
  };

  const disjunction = query.disjunction.map(
    (conj) => `(${conj.map((group) => `(${group.map(condition).join(" OR ")})`).join(" AND ")})`,
  );
  const where = disjunction.length > 0 ? disjunction.join(" OR ") : f.true;
  // sys_id is unique: sorted on it, the order is total, and the stable-paging tail after it
  // would only keep SQLite from walking the primary key (a cursor walk in sys_id order then
  // sorted the whole table on every page).
  const bySysId = query.orderBy.findIndex((o) => o.field === "sys_id");
  const orderBy = (bySysId >= 0 ? query.orderBy.slice(0, bySysId + 1) : query.orderBy)
    .map((o) => {
      const { expr, numeric, system } = column(o.field, "ORDERBY");
      return f.sort(numeric ? f.integer(expr, system) : f.ordered(expr), o.descending);
    })
    .concat(bySysId >= 0 ? [] : f.tail) // stable paging when the query sorts on equal values
    .join(", ");
  return { where, orderBy, params };
}

/**
 * A numeric field's condition on PostgreSQL, as SQLite answers it: SQLite compares the integer with
 * a value that reads as a number numerically, and orders any other text after every number
 * (PostgreSQL would refuse to compare them). Only AND and OR combine conditions, so a condition
 * that is never true may be FALSE where SQLite's is NULL.
 */
function numericCondition(c: Condition, bound: string, params: unknown[], f: Flavor): string {
  /** The value as a number to compare with, or null for text (greater than any number). */
  const number = (v: string): string | null => {
    if (/^-?\d+$/.test(v)) {
      params.push(Number(v));
      return "?";
    }
    if (realLiteral.test(v)) {
      params.push(v);
      return "CAST(? AS double precision)";
    }
    return null;
  };
  switch (c.operator) {
    case "=":
    case ">":
    case ">=": {
      const v = number(c.value);
      return v === null ? f.false : `${bound} ${c.operator} ${v}`;
    }
    case "<":
    case "<=": {
      const v = number(c.value);
      return v === null ? `${bound} IS NOT NULL` : `${bound} ${c.operator} ${v}`;
    }
    case "!=": {
      const v = number(c.value);
      return v === null ? f.true : `(${bound} IS NULL OR ${bound} != ${v})`;
    }
    case "IN":
    case "NOT IN": {
      const items = listValues(c.value)
        .map(number)
        .filter((v): v is string => v !== null);
      if (items.length === 0) return c.operator === "IN" ? f.false : f.true;
      const list = items.join(", ");
      return c.operator === "IN"
        ? `${bound} IN (${list})`
        : `(${bound} IS NULL OR ${bound} NOT IN (${list}))`;
    }
    default:
      throw new Error(`${c.operator} is decided on the text`);
  }
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

import type { TableDefinition } from "../tables/types";
import { isSystemField } from "../tables/types";
import { badRequest } from "../util/errors";
import { type Condition, type EncodedQuery, listValues } from "./encoded-query";

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

/**
 * Turns a parsed encoded query into a WHERE / ORDER BY over the `record` table.
 * Field names are checked against the registry (never interpolated unchecked); values are
 * always bound parameters.
 */
export function queryToSql(table: TableDefinition, query: EncodedQuery): SqlFragment {
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

  const column = (field: string, purpose: string): { expr: string; numeric: boolean } => {
    if (isSystemField(field)) {
      return { expr: sysColumns[field] ?? field, numeric: field === "sys_mod_count" };
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
    const expr = `json_extract(data, '$.${field}')`;
    return { expr, numeric: numericFields.has(field) };
  };

  const condition = (c: Condition): string => {
    const { expr, numeric } = column(c.field, "sysparm_query");
    const bound = numeric ? `CAST(${expr} AS INTEGER)` : expr;
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
        return `${expr} LIKE ${value(`%${escapeLike(c.value)}%`)} ESCAPE '\\'`;
      case "NOTLIKE":
        return `(${expr} IS NULL OR ${expr} NOT LIKE ${value(`%${escapeLike(c.value)}%`)} ESCAPE '\\')`;
      case "STARTSWITH":
        return `${expr} LIKE ${value(`${escapeLike(c.value)}%`)} ESCAPE '\\'`;
      case "ENDSWITH":
        return `${expr} LIKE ${value(`%${escapeLike(c.value)}`)} ESCAPE '\\'`;
      case "IN":
      case "NOT IN": {
        const items = listValues(c.value);
        if (items.length === 0) return c.operator === "IN" ? "0" : "1";
        const list = items.map((v) => value(v)).join(", ");
        return c.operator === "IN"
          ? `${bound} IN (${list})`
          : `(${bound} IS NULL OR ${bound} NOT IN (${list}))`;
      }
      case "ISEMPTY":
        return `(${expr} IS NULL OR ${expr} = '')`;
      case "ISNOTEMPTY":
        return `(${expr} IS NOT NULL AND ${expr} != '')`;
    }
  };

  const disjunction = query.disjunction.map(
    (conj) => `(${conj.map((group) => `(${group.map(condition).join(" OR ")})`).join(" AND ")})`,
  );
  const where = disjunction.length > 0 ? disjunction.join(" OR ") : "1";
  const orderBy = query.orderBy
    .map((o) => {
      const { expr, numeric } = column(o.field, "ORDERBY");
      return `${numeric ? `CAST(${expr} AS INTEGER)` : expr} ${o.descending ? "DESC" : "ASC"}`;
    })
    .concat(["sys_created_on DESC", "sys_id"]) // stable paging when the query sorts on equal values
    .join(", ");
  return { where, orderBy, params };
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

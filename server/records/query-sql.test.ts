import { describe, expect, it } from "vitest";
import type { TableDefinition } from "../tables/types";
import { parseEncodedQuery } from "./encoded-query";
import { queryToSql } from "./query-sql";

// The SQL of encoded queries per dialect; tests/integration/query-sql-dialects.test.ts runs both
// against the same rows on SQLite and a real PostgreSQL server.

const table: TableDefinition = {
  name: "widget",
  label: "Widget",
  numberPrefix: null,
  displayField: "name",
  fields: [
    { name: "name", label: "Name", type: "string" },
    { name: "size", label: "Size", type: "integer" },
    { name: "state", label: "State", type: "choice", choices: [{ value: "1", label: "New" }] },
  ],
};
const pg = (query: string) => queryToSql(table, parseEncodedQuery(query), "postgres");
const lite = (query: string) => queryToSql(table, parseEncodedQuery(query));
const size = `(CASE WHEN (data::jsonb ->> 'size') IS NOT NULL THEN coalesce(substring((data::jsonb ->> 'size') from '^\\s*([-+]?[0-9]+)'), '0')::bigint END)`;

describe("queryToSql", () => {
  it("on SQLite by default, as before", () => {
    expect(lite("name=a^size>2^ORDERBYDESCsize")).toEqual({
      where: "((json_extract(data, '$.name') = ?) AND (CAST(json_extract(data, '$.size') AS INTEGER) > ?))",
      orderBy: "CAST(json_extract(data, '$.size') AS INTEGER) DESC, sys_created_on DESC, sys_id",
      params: ["a", 2],
    });
    expect(lite("").where).toBe("1");
    expect(lite("nameIN").where).toBe("((0))");
    expect(lite("sizeLIKE1").where).toBe("((json_extract(data, '$.size') LIKE ? ESCAPE '\\'))");
  });

  it("on PostgreSQL reads the JSON text, compares text in byte order and sorts NULLs as SQLite", () => {
    expect(pg("name=a^ORname>b")).toEqual({
      where: `(((data::jsonb ->> 'name') COLLATE "C" = ? OR (data::jsonb ->> 'name') COLLATE "C" > ?))`,
      orderBy: 'sys_created_on COLLATE "C" DESC, sys_id COLLATE "C"',
      params: ["a", "b"],
    });
    expect(pg("ORDERBYname^ORDERBYDESCsize").orderBy).toBe(
      `(data::jsonb ->> 'name') COLLATE "C" ASC NULLS FIRST, ${size} DESC NULLS LAST, sys_created_on COLLATE "C" DESC, sys_id COLLATE "C"`,
    );
    expect(pg("").where).toBe("TRUE");
    expect(pg("nameIN").where).toBe("((FALSE))");
    expect(pg("nameNOT IN").where).toBe("((TRUE))");
  });

  it("on PostgreSQL, LIKE, STARTSWITH and emptiness with ILIKE on text (ASCII case as SQLite)", () => {
    expect(pg("nameLIKE5%").where).toBe(`(((data::jsonb ->> 'name') COLLATE "C" ILIKE ? ESCAPE '\\'))`);
    expect(pg("nameLIKE5%").params).toEqual(["%5\\%%"]);
    expect(pg("nameSTARTSWITHab").params).toEqual(["ab%"]);
    expect(pg("nameNOTLIKEx").where).toBe(
      `((((data::jsonb ->> 'name') IS NULL OR (data::jsonb ->> 'name') COLLATE "C" NOT ILIKE ? ESCAPE '\\')))`,
    );
    expect(pg("sys_mod_countLIKE1^sizeISEMPTY").where).toBe(
      `((sys_mod_count::text COLLATE "C" ILIKE ? ESCAPE '\\') AND (((data::jsonb ->> 'size') IS NULL OR (data::jsonb ->> 'size') = '')))`,
    );
  });

  it("on PostgreSQL, numeric fields compare as SQLite's CAST AS INTEGER: numbers as numbers, any other text after them", () => {
    expect(pg("size>=2^sys_mod_count=3")).toEqual({
      where: `((${size} >= ?) AND (sys_mod_count = ?))`,
      orderBy: 'sys_created_on COLLATE "C" DESC, sys_id COLLATE "C"',
      params: [2, 3],
    });
    expect(pg("size<2.5")).toMatchObject({
      where: `((${size} < CAST(? AS double precision)))`,
      params: ["2.5"],
    });
    expect(pg("size=abc").where).toBe("((FALSE))");
    expect(pg("size<abc").where).toBe(`((${size} IS NOT NULL))`);
    expect(pg("size!=abc").where).toBe("((TRUE))");
    expect(pg("stateIN1,abc,2")).toMatchObject({
      where: `(((CASE WHEN (data::jsonb ->> 'state') IS NOT NULL THEN coalesce(substring((data::jsonb ->> 'state') from '^\\s*([-+]?[0-9]+)'), '0')::bigint END) IN (?, ?)))`,
      params: [1, 2],
    });
    expect(pg("stateNOT INabc").where).toBe("((TRUE))");
  });
});

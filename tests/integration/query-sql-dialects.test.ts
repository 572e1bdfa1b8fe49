import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../server/db/client";
import { openPostgres } from "../../server/db/postgres";
import { parseEncodedQuery } from "../../server/records/encoded-query";
import { queryToSql } from "../../server/records/query-sql";
import { all, run, type Storage, sql } from "../../server/storage";
import { PgStorage } from "../../server/storage/postgres";
import { SqliteStorage } from "../../server/storage/sqlite";
import type { TableDefinition } from "../../server/tables/types";
import { type RunningPostgres, startPostgres } from "../support/postgres";

// Encoded queries (SPEC 1.4) on both dialects (issue 13): the same rows, the same query, the same
// sys_ids in the same order on SQLite (the reference) and on a real PostgreSQL server.

const widget: TableDefinition = {
  name: "widget",
  label: "Widget",
  numberPrefix: null,
  displayField: "name",
  fields: [
    { name: "name", label: "Name", type: "string" },
    { name: "code", label: "Code", type: "string" },
    { name: "size", label: "Size", type: "integer" },
    {
      name: "state",
      label: "State",
      type: "choice",
      choices: [
        { value: "1", label: "New" },
        { value: "2", label: "Active" },
        { value: "10", label: "Closed" },
      ],
    },
    {
      name: "color",
      label: "Color",
      type: "choice",
      choices: [
        { value: "red", label: "Red" },
        { value: "blue", label: "Blue" },
      ],
    },
  ],
};

type Data = Record<string, string | null>;
const rows: Array<[id: string, created: string, modCount: number, data: Data]> = [
  ["a1", "2026-01-01 10:00:00", 0, { name: "Alpha", code: "X-1", size: "10", state: "1", color: "red" }],
  ["b2", "2026-01-01 10:00:00", 3, { name: "alpha beta", code: "x-2", size: "9", state: "2", color: "blue" }],
  [
    "c3",
    "2026-01-02 09:00:00",
    1,
    { name: "Gamma", code: "100%_off", size: "-3", state: "10", color: "red" },
  ],
  ["d4", "2026-01-03 08:00:00", 2, { name: "", code: "Y", size: "", state: "2", color: "" }],
  ["e5", "2026-01-03 08:00:00", 0, { name: "delta", code: "z", state: "1" }],
  ["f6", "2026-01-04 00:00:00", 5, { name: "Émile", code: "émile", size: "100", state: null, color: "Blue" }],
  ["g7", "2026-01-05 00:00:00", 1, { name: "BETA", code: "b", size: "abc", state: "10", color: "blue" }],
  ["h8", "2026-01-05 00:00:00", 4, { name: "Zed", code: "Z", size: "2.5", state: "1" }],
  ["i9", "2026-01-06 00:00:00", 0, { name: "apple", code: "a_b", size: " 7", color: "red" }],
];

const queries = [
  "",
  "name=Alpha",
  "name=alpha",
  "name!=Alpha",
  "color!=red",
  "nameLIKEalpha",
  "nameLIKEBET",
  "nameLIKEémile",
  "nameLIKEÉMILE",
  "codeLIKEÉmile",
  "nameNOTLIKEa",
  "codeLIKE%_",
  "codeLIKE_",
  "nameSTARTSWITHa",
  "nameENDSWITHa",
  "nameINAlpha,Gamma,delta",
  "nameNOT INAlpha,Gamma",
  "stateIN1,10",
  "stateNOT IN1",
  "stateIN1,abc",
  "stateINabc",
  "nameISEMPTY",
  "nameISNOTEMPTY",
  "sizeISEMPTY",
  "colorISNOTEMPTY",
  "size>9",
  "size<10",
  "size>=2.5",
  "size<=7",
  "size=abc",
  "size!=abc",
  "size<abc",
  "size>abc",
  "state<6",
  "name>B",
  "name<a",
  "code>=x",
  "state=1^ORstate=2",
  "state=1^color=red^ORcolor=blue",
  "state=1^NQsize>50",
  "sys_mod_count>1",
  "sys_mod_count=0^ORDERBYname",
  "sys_mod_countLIKE1",
  "sys_created_on>2026-01-03",
  "sys_idINa1,c3,zz",
  "ORDERBYname",
  "ORDERBYDESCname",
  "ORDERBYsize",
  "ORDERBYDESCsize",
  "ORDERBYstate^ORDERBYDESCcode",
  "ORDERBYDESCstate^ORDERBYcolor",
  "ORDERBYcolor",
  "ORDERBYsys_mod_count",
  "ORDERBYDESCsys_created_on",
  "nameLIKEa^ORDERBYDESCsize",
];

const insert = sql(
  `INSERT INTO record (sys_id, table_name, data, sys_created_on, sys_created_by, sys_updated_on, sys_updated_by,
     sys_mod_count) VALUES (?, 'widget', ?, ?, 'test', ?, 'test', ?)`,
);

async function seed(storage: Storage): Promise<void> {
  await storage.transaction(function* () {
    for (const [id, created, modCount, data] of rows)
      yield* run(insert, id, JSON.stringify(data), created, created, modCount);
    // another table's row: never in the answers
    yield* run(
      sql(`INSERT INTO record (sys_id, table_name, data, sys_created_on, sys_created_by, sys_updated_on, sys_updated_by)
             VALUES ('o1', 'other', '{"name":"Alpha"}', '2026-01-01', 't', '2026-01-01', 't')`),
    );
  });
}

async function answer(storage: Storage, encoded: string): Promise<string[]> {
  const sqlite = queryToSql(widget, parseEncodedQuery(encoded));
  const postgres = queryToSql(widget, parseEncodedQuery(encoded), "postgres");
  const text = (f: typeof sqlite) =>
    `SELECT sys_id FROM record WHERE table_name = ? AND (${f.where}) ORDER BY ${f.orderBy}`;
  const query = sql<{ sys_id: string }>({ sqlite: text(sqlite), postgres: text(postgres) });
  const params = storage.dialect === "postgres" ? postgres.params : sqlite.params;
  return (await storage.read(all(query, "widget", ...params))).map((r) => r.sys_id);
}

describe("encoded queries on SQLite and PostgreSQL", () => {
  let server: RunningPostgres;
  let pg: PgStorage;
  let lite: Storage;
  beforeAll(async () => {
    server = await startPostgres({ fsync: false });
    pg = new PgStorage((await openPostgres(await server.createDatabase("queries"))).pool);
    await seed(pg);
    lite = new SqliteStorage(openDatabase({ file: ":memory:" }).$client);
    await seed(lite);
  });
  afterAll(async () => {
    await lite?.close();
    await pg?.close();
    await server?.stop();
  });

  it("SQLite, the reference, answers as expected: integers as numbers, other text after them, NULL first", async () => {
    expect(await answer(lite, "")).toEqual(["i9", "g7", "h8", "f6", "d4", "e5", "c3", "a1", "b2"]);
    expect(await answer(lite, "nameLIKEalpha")).toEqual(["a1", "b2"]); // created at the same time: by sys_id
    expect(await answer(lite, "stateIN1,10")).toEqual(["g7", "h8", "e5", "c3", "a1"]);
    expect(await answer(lite, "ORDERBYsize")).toEqual(["e5", "c3", "g7", "d4", "h8", "i9", "b2", "a1", "f6"]);
    expect(await answer(lite, "size<abc")).toEqual(["i9", "g7", "h8", "f6", "d4", "c3", "a1", "b2"]);
    // LIKE ignores the case of ASCII letters only
    expect(await answer(lite, "nameLIKEémile")).toEqual([]);
    expect(await answer(lite, "codeLIKEÉMILE")).toEqual([]);
    expect(await answer(lite, "nameLIKEéMILE")).toEqual([]);
    expect(await answer(lite, "nameLIKEÉMILE")).toEqual(["f6"]);
    expect(await answer(lite, "codeLIKE_")).toEqual(["i9", "c3"]);
  });

  for (const encoded of queries)
    it(`"${encoded}" gives the same sys_ids in the same order`, async () => {
      expect(await answer(pg, encoded)).toEqual(await answer(lite, encoded));
    });
});

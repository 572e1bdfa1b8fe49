import fs from "node:fs";
import path from "node:path";
import { is } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import { SQLiteTable } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import * as sqlite from "../schema";
import * as pgSchema from ".";
import { derivePgTables } from "./derive";

// The derived PostgreSQL schema (issue 13) stays complete and its migrations stay generated.

const sqliteNames = Object.keys(sqlite).filter((k) =>
  is((sqlite as Record<string, unknown>)[k], SQLiteTable),
);

describe("the PostgreSQL schema", () => {
  it("exports every SQLite table by name, for drizzle-kit", () => {
    const pgNames = Object.keys(pgSchema).filter((k) =>
      is((pgSchema as Record<string, unknown>)[k], PgTable),
    );
    expect(pgNames.sort()).toEqual(sqliteNames.sort());
  });

  it("has its migrations in drizzle/pg generated (npm run db:generate:pg)", async () => {
    const { generateDrizzleJson, generateMigration } = await import("drizzle-kit/api");
    const meta = path.resolve(import.meta.dirname, "../../../drizzle/pg/meta");
    const journal = JSON.parse(fs.readFileSync(path.join(meta, "_journal.json"), "utf8")) as {
      entries: Array<{ idx: number }>;
    };
    const last = journal.entries.at(-1)?.idx ?? 0;
    const snapshot = JSON.parse(
      fs.readFileSync(path.join(meta, `${String(last).padStart(4, "0")}_snapshot.json`), "utf8"),
    );
    const current = generateDrizzleJson({ ...pgSchema }, snapshot.id);
    expect(await generateMigration(snapshot, current)).toEqual([]);
  });

  it("refuses an SQL default it has no translation for", async () => {
    const { sql } = await import("drizzle-orm");
    const { integer, sqliteTable } = await import("drizzle-orm/sqlite-core");
    const odd = sqliteTable("odd", { at: integer("at").default(sql`(strftime('%s'))`) });
    expect(() => derivePgTables({ odd })).toThrow(/odd\.at: the SQL default .* has no PostgreSQL twin/);
  });
});

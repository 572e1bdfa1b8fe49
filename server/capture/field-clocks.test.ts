import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { type Db, openDatabase } from "../db/client";
import { SqliteStorage } from "../storage/sqlite";
import { type FieldClock, fieldClocks, isNewer } from "./field-clocks";

/** The clocks' plans, run at once on one SQLite database. */
function clocksOn(db: Db) {
  const storage = new SqliteStorage(db.$client);
  return {
    all: (sysId: string) => storage.runSync(fieldClocks.all(sysId)),
    get: (sysId: string, field: string) => storage.runSync(fieldClocks.get(sysId, field)),
    bumpAll: (sysId: string, fields: string[], origin: string, arrived?: Array<[string, FieldClock]>) =>
      storage.runSync(fieldClocks.bumpAll(sysId, fields, origin, arrived)),
    setAll: (sysId: string, incoming: Array<[string, FieldClock]>) =>
      storage.runSync(fieldClocks.setAll(sysId, incoming)),
    set: (sysId: string, field: string, clock: FieldClock) =>
      storage.runSync(fieldClocks.set(sysId, field, clock)),
  };
}

describe("field clocks (SPEC 3.8)", () => {
  it("a synced write's clocks stored with the capture's bump leave what a bump then a set left", () => {
    const [a, b] = [
      clocksOn(openDatabase({ file: ":memory:" })),
      clocksOn(openDatabase({ file: ":memory:" })),
    ];
    for (const c of [a, b]) c.bumpAll("r1", ["state", "impact"], "beta"); // earlier local edits
    const arrived: Array<[string, FieldClock]> = [
      ["state", { counter: 7, origin: "alpha" }],
      ["short_description", { counter: 2, origin: "alpha" }],
    ];
    const changed = ["state", "short_description", "number"];
    // before: the capture bumps and stores, then the writer sets the sender's clocks (two writes)
    const bumpedA = a.bumpAll("r1", changed, "beta");
    a.setAll("r1", arrived);
    // now: one write holds both; the capture still sees its bump (what a payload to a third sends)
    const bumpedB = b.bumpAll("r1", changed, "beta", arrived);
    expect(b.all("r1")).toEqual(a.all("r1"));
    expect(bumpedB).toEqual(bumpedA);
    expect(b.get("r1", "state")).toEqual({ counter: 7, origin: "alpha" });
    expect(b.get("r1", "number")).toEqual({ counter: 1, origin: "beta" });
    expect(b.get("r1", "impact")).toEqual({ counter: 1, origin: "beta" });
  });

  it("bumps, sets and compares per (record, field) as before", () => {
    const clocks = clocksOn(openDatabase({ file: ":memory:" }));
    expect(clocks.get("r1", "short_description")).toEqual({ counter: 0, origin: "" });
    const bump = (field: string, origin: string) => clocks.bumpAll("r1", [field], origin)?.get(field);
    expect(bump("short_description", "alpha")).toEqual({ counter: 1, origin: "alpha" });
    expect(bump("short_description", "beta")).toEqual({ counter: 2, origin: "beta" });
    // Other fields and records keep their own clocks.
    expect(bump("state", "alpha")).toEqual({ counter: 1, origin: "alpha" });
    expect(clocks.get("r2", "short_description")).toEqual({ counter: 0, origin: "" });

    clocks.set("r1", "state", { counter: 5, origin: "beta" });
    const local = clocks.get("r1", "state");
    expect(local).toEqual({ counter: 5, origin: "beta" });
    expect(isNewer({ counter: 6, origin: "alpha" }, local)).toBe(true);
    expect(isNewer({ counter: 4, origin: "zeta" }, local)).toBe(false);
    expect(isNewer({ counter: 5, origin: "gamma" }, local)).toBe(true); // tie: higher origin wins
    expect(isNewer({ counter: 5, origin: "alpha" }, local)).toBe(false);
  });

  it("bumps a change's fields in one go, new and existing alike, and reads a record's clocks at once", () => {
    const clocks = clocksOn(openDatabase({ file: ":memory:" }));
    clocks.set("r1", "state", { counter: 4, origin: "beta" });
    const bumped = clocks.bumpAll("r1", ["state", "short_description", "state"], "alpha");
    expect(Object.fromEntries(bumped ?? [])).toEqual({
      state: { counter: 5, origin: "alpha" },
      short_description: { counter: 1, origin: "alpha" },
    });
    expect(clocks.get("r1", "state")).toEqual({ counter: 5, origin: "alpha" });
    expect(clocks.bumpAll("r1", [], "alpha")).toBeUndefined();
    // The answer holds the fields the bump left alone too: capture reads no second time.
    expect(clocks.bumpAll("r1", ["state"], "beta")?.get("short_description")).toEqual({
      counter: 1,
      origin: "alpha",
    });
    const many = Array.from({ length: 250 }, (_, i) => `f${i}`);
    expect(clocks.bumpAll("r2", many, "alpha")?.size).toBe(250);
    expect(clocks.all("r2").get("f249")).toEqual({ counter: 1, origin: "alpha" });
    expect(Object.fromEntries(clocks.all("r1"))).toEqual({
      state: { counter: 6, origin: "beta" },
      short_description: { counter: 1, origin: "alpha" },
    });
    expect(clocks.all("r3").size).toBe(0);
  });

  it("stores one row per record, its key once (WITHOUT ROWID), origins written once each", () => {
    const db = openDatabase({ file: ":memory:" });
    const clocks = clocksOn(db);
    clocks.bumpAll("r1", ["state", "short_description"], "alpha".repeat(6));
    clocks.setAll("r1", [["priority", { counter: 3, origin: "beta".repeat(8) }]]);
    const rows = db.$client
      .prepare<[], { record_sys_id: string; clocks: string }>("SELECT * FROM record_clock")
      .all();
    const json = JSON.stringify({
      ["alpha".repeat(6)]: { state: 1, short_description: 1 },
      ["beta".repeat(8)]: { priority: 3 },
    });
    // the JSON's punctuation and field names a character each (server/util/token-codec.ts)
    expect(rows.map((r) => r.record_sys_id)).toEqual(["r1"]);
    expect(rows[0]?.clocks.startsWith("\u001ec")).toBe(true);
    expect(rows[0]?.clocks.length).toBeLessThan(json.length - 30);
    // a row written as plain JSON before reads as it was
    db.$client.prepare("INSERT INTO record_clock (record_sys_id, clocks) VALUES ('r2', ?)").run(json);
    expect(Object.fromEntries(clocks.all("r2"))).toEqual(Object.fromEntries(clocks.all("r1")));
    expect(clocks.all("r1").get("priority")).toEqual({ counter: 3, origin: "beta".repeat(8) });
    const table = db.$client
      .prepare<[], { sql: string }>(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'record_clock'",
      )
      .get();
    expect(table?.sql).toMatch(/WITHOUT ROWID/);
  });

  it("keeps origins and fields named like Object's own keys as data, never on Object.prototype", () => {
    const clocks = clocksOn(openDatabase({ file: ":memory:" }));
    clocks.setAll("r1", [
      ["short_description", { counter: 2, origin: "__proto__" }],
      ["__proto__", { counter: 3, origin: "constructor" }],
      ["state", { counter: 1, origin: "alpha" }],
    ]);
    expect(({} as Record<string, unknown>).short_description).toBeUndefined();
    expect(Object.fromEntries(clocks.all("r1"))).toEqual({
      short_description: { counter: 2, origin: "__proto__" },
      ["__proto__"]: { counter: 3, origin: "constructor" },
      state: { counter: 1, origin: "alpha" },
    });
  });

  it("migration 0012 carries the clocks of the per-field table over unchanged", () => {
    const file = path.join(
      fs.mkdtempSync(path.join(process.env.TANDEM_TEST_DATA_ROOT ?? os.tmpdir(), "tandem-clocks-")),
      "tandem.db",
    );
    try {
      // A database at migration 0011, with clocks in the old per-field table.
      const folder = fs.mkdtempSync(
        path.join(process.env.TANDEM_TEST_DATA_ROOT ?? os.tmpdir(), "tandem-migrations-"),
      );
      fs.cpSync(path.resolve("drizzle"), folder, { recursive: true });
      const journalFile = path.join(folder, "meta", "_journal.json");
      const journal = JSON.parse(fs.readFileSync(journalFile, "utf8")) as { entries: Array<{ tag: string }> };
      journal.entries = journal.entries.filter((e) => e.tag < "0012");
      fs.writeFileSync(journalFile, JSON.stringify(journal));
      const old = openDatabase({ file, migrationsFolder: folder });
      const insert = old.$client.prepare(
        "INSERT INTO field_clock (record_sys_id, field, counter, origin) VALUES (?, ?, ?, ?)",
      );
      insert.run("r1", "state", 4, "alpha");
      insert.run("r1", "priority", 2, "beta");
      insert.run("r1", "impact", 1, "alpha");
      insert.run("r2", "state", 7, "beta");
      old.$client.close();

      const clocks = clocksOn(openDatabase({ file }));
      expect(Object.fromEntries(clocks.all("r1"))).toEqual({
        state: { counter: 4, origin: "alpha" },
        priority: { counter: 2, origin: "beta" },
        impact: { counter: 1, origin: "alpha" },
      });
      expect(clocks.get("r2", "state")).toEqual({ counter: 7, origin: "beta" });
      expect(clocks.bumpAll("r1", ["priority"], "alpha")?.get("priority")).toEqual({
        counter: 3,
        origin: "alpha",
      });
      fs.rmSync(folder, { recursive: true, force: true });
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });
});

import { describe, expect, it } from "vitest";
import { openDatabase } from "../db/client";
import { FieldClocks, isNewer } from "./field-clocks";

describe("field clocks (SPEC 3.8)", () => {
  it("bumps, sets and compares per (record, field) as before", () => {
    const clocks = new FieldClocks(openDatabase({ file: ":memory:" }));
    expect(clocks.get("r1", "short_description")).toEqual({ counter: 0, origin: "" });
    const bump = (field: string, origin: string) => clocks.bumpAll("r1", [field], origin).get(field);
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
    const clocks = new FieldClocks(openDatabase({ file: ":memory:" }));
    clocks.set("r1", "state", { counter: 4, origin: "beta" });
    const bumped = clocks.bumpAll("r1", ["state", "short_description", "state"], "alpha");
    expect(Object.fromEntries(bumped)).toEqual({
      state: { counter: 5, origin: "alpha" },
      short_description: { counter: 1, origin: "alpha" },
    });
    expect(clocks.get("r1", "state")).toEqual({ counter: 5, origin: "alpha" });
    expect(clocks.bumpAll("r1", [], "alpha").size).toBe(0);
    const many = Array.from({ length: 250 }, (_, i) => `f${i}`);
    expect(clocks.bumpAll("r2", many, "alpha").size).toBe(250);
    expect(clocks.all("r2").get("f249")).toEqual({ counter: 1, origin: "alpha" });
    expect(Object.fromEntries(clocks.all("r1"))).toEqual({
      state: { counter: 5, origin: "alpha" },
      short_description: { counter: 1, origin: "alpha" },
    });
    expect(clocks.all("r3").size).toBe(0);
  });

  it("stores each key once: a WITHOUT ROWID table keyed by (record, field), no extra index", () => {
    const db = openDatabase({ file: ":memory:" });
    const row = db.$client
      .prepare<[], { sql: string }>(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'field_clock'",
      )
      .get();
    expect(row?.sql).toMatch(/WITHOUT ROWID/);
    const indexes = db.$client
      .prepare<[], { name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'field_clock' AND sql IS NOT NULL",
      )
      .all();
    expect(indexes).toEqual([]);
  });
});

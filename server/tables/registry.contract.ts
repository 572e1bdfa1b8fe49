import { expect, it } from "vitest";
import type { Storage } from "../storage";
import { RecordError } from "../util/errors";
import { builtInTables } from "./definitions";
import { TableRegistry } from "./registry";
import type { TableDefinition } from "./types";

// The table registry on every dialect (issue 13): SQLite in registry.test.ts, a real PostgreSQL
// in tests/integration/storage-seam.test.ts. `fresh` gives an empty, migrated instance database.

const widget: TableDefinition = {
  name: "widget",
  label: "Widget",
  numberPrefix: "WDG",
  displayField: "name",
  lookupFields: ["code"],
  fields: [
    { name: "name", label: "Name", type: "string", mandatory: true },
    { name: "code", label: "Code", type: "string", unique: true },
    { name: "state", label: "State", type: "choice", choices: [{ value: "1", label: "New" }] },
  ],
};

export function tableRegistryContract(fresh: () => Promise<Storage>): void {
  it("installs definitions and answers from memory: get, require, field, list", async () => {
    const storage = await fresh();
    const registry = new TableRegistry(storage);
    await registry.load();
    expect(registry.list()).toEqual([]);
    await registry.install([widget]);
    expect(registry.get("widget")).toEqual(widget);
    expect(registry.require("widget")).toEqual(widget);
    expect(registry.field("widget", "state")?.choices).toEqual([{ value: "1", label: "New" }]);
    expect(registry.field("widget", "nope")).toBeUndefined();
    expect(registry.get("nope")).toBeUndefined();
    expect(() => registry.require("nope")).toThrow(RecordError);
    expect(() => registry.require("nope")).toThrow(/Invalid table nope/);
    // a definition installed again replaces the stored one
    const changed = { ...widget, label: "Gadget", numberPrefix: null, lookupFields: undefined };
    await registry.install([changed]);
    expect(registry.require("widget")).toMatchObject({ label: "Gadget", numberPrefix: null });
    expect(registry.require("widget").lookupFields).toBeUndefined();
    // another registry of the same database reads what is stored
    const other = new TableRegistry(storage);
    await other.load();
    expect(other.require("widget")).toEqual(registry.require("widget"));
    other.close();
    registry.close();
  });

  it("keeps the built-in tables as they were defined", async () => {
    const storage = await fresh();
    const registry = new TableRegistry(storage);
    await registry.install(builtInTables);
    expect(new Set(registry.list().map((t) => t.name))).toEqual(new Set(builtInTables.map((t) => t.name)));
    for (const def of builtInTables) expect(registry.require(def.name)).toEqual(def);
    registry.close();
  });

  it("follows an install by another registry through the signal", async () => {
    const storage = await fresh();
    const [mine, theirs] = [new TableRegistry(storage), new TableRegistry(storage)];
    await Promise.all([mine.load(), theirs.load()]);
    await mine.install([widget]);
    await expect.poll(() => theirs.get("widget")?.label).toBe("Widget");
    mine.close();
    theirs.close();
  });
}

import { describe, expect, it } from "vitest";
import { freshSqliteStorage } from "../testing/storage-fixtures";
import { TableRegistry } from "./registry";
import { tableRegistryContract } from "./registry.contract";

describe("TableRegistry on SQLite", () => {
  tableRegistryContract(freshSqliteStorage);

  it("loads on first read, and installs at once for in-memory instances", async () => {
    const storage = await freshSqliteStorage();
    const registry = new TableRegistry(storage);
    expect(registry.list()).toEqual([]); // loaded synchronously
    registry.installSync([
      { name: "widget", label: "Widget", numberPrefix: null, displayField: "name", fields: [] },
    ]);
    expect(registry.require("widget").label).toBe("Widget");
  });
});

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../db/client";
import { RecordService } from "../records/record-service";
import { SqliteStorage } from "../storage/sqlite";
import { builtInTables } from "../tables/definitions";
import { TableRegistry } from "../tables/registry";
import { memoryInstance, testActor } from "../testing/memory-instance";
import { freshSqliteStorage } from "../testing/storage-fixtures";
import { auditOf } from "./history";
import { auditHistoryContract } from "./history.contract";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe("record audit history on SQLite", () => {
  auditHistoryContract(freshSqliteStorage);

  it("keeps a create's changes in a database file as text under half the JSON, and reads them back", async () => {
    const dir = fs.mkdtempSync(path.join(process.env.TANDEM_TEST_DATA_ROOT ?? os.tmpdir(), "tandem-audit-"));
    dirs.push(dir);
    const db = openDatabase({ file: path.join(dir, "tandem.db") });
    const storage = new SqliteStorage(db.$client);
    try {
      const registry = new TableRegistry(storage);
      registry.installSync(builtInTables);
      const records = new RecordService(storage, registry);
      const group = await records.create("sys_user_group", { name: "Storage" }, testActor);
      const inc = await records.create(
        "incident",
        { short_description: "Disk array degraded", assignment_group: group.sys_id, urgency: "1" },
        testActor,
      );
      const row = db.$client
        .prepare<[string], { type: string; bytes: number }>(
          "SELECT typeof(changes) AS type, length(CAST(changes AS BLOB)) AS bytes FROM audit_entry WHERE record_sys_id = ?",
        )
        .get(inc.sys_id);
      const entries = await auditOf(storage, "incident", inc.sys_id);
      const json = JSON.stringify(entries.reverse().map((e) => [e.field, e.oldValue, e.newValue]));
      expect(row?.type).toBe("text");
      expect(row?.bytes).toBeLessThanOrEqual(120);
      expect(row?.bytes).toBeLessThan(Buffer.byteLength(json) / 2);
      expect(entries.map((e) => [e.field, e.newValue])).toEqual(
        expect.arrayContaining([
          ["short_description", "Disk array degraded"],
          ["assignment_group", group.sys_id],
          ["urgency", "1"],
          ["number", inc.number],
        ]),
      );
    } finally {
      await storage.close();
    }
  });

  it("reads a changes row stored as plain JSON text (written before packing, or too small to pack)", async () => {
    const env = memoryInstance();
    const inc = await env.records.create("incident", { short_description: "x" }, testActor);
    env.db.$client
      .prepare(
        `INSERT INTO audit_entry (table_name, record_sys_id, operation, changes, user, origin, at)
         VALUES ('incident', ?, 'update', ?, 'old.user', 'ui', '2026-01-01 00:00:00')`,
      )
      .run(
        inc.sys_id,
        JSON.stringify([
          ["state", "1", "2"],
          ["short_description", "x", "Ünïcødé y"],
        ]),
      );
    const entries = await auditOf(env.storage, "incident", inc.sys_id);
    expect(entries.slice(0, 2).map((e) => [e.operation, e.field, e.oldValue, e.newValue])).toEqual([
      ["update", "short_description", "x", "Ünïcødé y"],
      ["update", "state", "1", "2"],
    ]);
  });
});

describe("record audit history", () => {
  it("stores one audit row per write and still shows one entry per changed field", async () => {
    const env = memoryInstance();
    const inc = await env.records.create("incident", { short_description: "x", state: "1" }, testActor);
    await env.records.update("incident", inc.sys_id, { short_description: "y", state: "2" }, testActor);
    const rows = env.db.$client
      .prepare<[string], { operation: string }>("SELECT operation FROM audit_entry WHERE record_sys_id = ?")
      .all(inc.sys_id);
    expect(rows.map((r) => r.operation)).toEqual(["create", "update"]);

    const entries = await auditOf(env.storage, "incident", inc.sys_id);
    const updates = entries.filter((e) => e.operation === "update");
    expect(updates.map((e) => [e.field, e.oldValue, e.newValue])).toEqual(
      expect.arrayContaining([
        ["short_description", "x", "y"],
        ["state", "1", "2"],
      ]),
    );
    expect(updates).toHaveLength(2);
    // Newest first, the whole update before the create.
    expect(entries.findIndex((e) => e.operation === "create")).toBeGreaterThan(1);
    expect(entries.filter((e) => e.operation === "create").map((e) => e.field)).toEqual(
      expect.arrayContaining(["short_description", "state"]),
    );
  });

  it("reads rows of the older one-row-per-field shape alongside new ones", async () => {
    const env = memoryInstance();
    const inc = await env.records.create("incident", { short_description: "x" }, testActor);
    env.db.$client
      .prepare(
        `INSERT INTO audit_entry (table_name, record_sys_id, operation, field, old_value, new_value, user, origin, at)
         VALUES ('incident', ?, 'update', 'state', '1', '3', 'old.user', 'ui', '2026-01-01 00:00:00')`,
      )
      .run(inc.sys_id);
    const entries = await auditOf(env.storage, "incident", inc.sys_id);
    expect(entries[0]).toMatchObject({ operation: "update", field: "state", oldValue: "1", newValue: "3" });
    expect(entries.some((e) => e.operation === "create" && e.field === "short_description")).toBe(true);
  });
});

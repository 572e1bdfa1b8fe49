import { expect, it } from "vitest";
import { auditChangesText } from "../records/audit-changes-codec";
import { RecordService } from "../records/record-service";
import type { Actor } from "../records/types";
import { all, type Storage, sql } from "../storage";
import { builtInTables } from "../tables/definitions";
import { TableRegistry } from "../tables/registry";
import { auditOf } from "./history";

// A record's audit history on every dialect (issue 13): SQLite in history.test.ts, a real
// PostgreSQL in tests/integration/storage-seam.test.ts. `fresh` gives an empty, migrated
// instance database.

const stored = sql<{ operation: string; changes: string | null }>(
  "SELECT operation, changes FROM audit_entry WHERE record_sys_id = ? ORDER BY id",
);
const actor: Actor = { userName: "tester", origin: "api" };

export function auditHistoryContract(fresh: () => Promise<Storage>): void {
  it("stores a write's changes in one row, its field names and punctuation a character each, and shows each field", async () => {
    const storage = await fresh();
    const registry = new TableRegistry(storage);
    await registry.install(builtInTables);
    const records = new RecordService(storage, registry);
    const group = await records.create("sys_user_group", { name: "Hardware" }, actor);
    const inc = await records.create(
      "incident",
      { short_description: "Écran noir — 画面が黒い", assignment_group: group.sys_id },
      actor,
    );
    await records.update("incident", inc.sys_id, { state: "2" }, actor);

    const entries = await auditOf(storage, "incident", inc.sys_id);
    const create = entries.filter((e) => e.operation === "create").reverse(); // auditOf lists them last first
    expect(create.map((e) => e.field)).toEqual(
      expect.arrayContaining(["number", "short_description", "assignment_group"]),
    );
    for (const e of create) expect([e.oldValue, e.newValue]).toEqual([null, inc[e.field ?? ""]]);
    expect(
      entries.filter((e) => e.operation === "update").map((e) => [e.field, e.oldValue, e.newValue]),
    ).toEqual([["state", "1", "2"]]);

    const [createRow] = await storage.read(all(stored, inc.sys_id));
    const changes = createRow?.changes ?? null;
    const json = JSON.stringify(create.map((e) => [e.field, e.oldValue, e.newValue]));
    expect(typeof changes).toBe("string"); // text on both dialects
    expect(Buffer.byteLength(changes ?? "")).toBeLessThan(Buffer.byteLength(json) / 2);
    expect(auditChangesText(changes ?? "")).toBe(json);
  });
}

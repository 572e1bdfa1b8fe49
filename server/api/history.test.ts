import { describe, expect, it } from "vitest";
import { memoryInstance, testActor } from "../testing/memory-instance";
import { auditOf } from "./history";

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

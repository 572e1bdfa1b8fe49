import { describe, expect, it } from "vitest";
import { literal, pill } from "../schema/binding";
import { runNode } from "../testing/harness";
import { createMemoryPorts } from "../testing/memory-ports";

// Each test runs one node the way a flow does:   start → node

describe("record nodes", () => {
  it("create_record writes through the records port with run-as and journal; bad choice names the field", async () => {
    const ports = createMemoryPorts();
    const journal = [{ element: "comments", value: "hi", created_by: "bob" }];
    const { step } = await runNode(
      "create_record",
      {
        table: "incident",
        values: literal({ short_description: "x", state: "1" }),
        journal: literal(journal),
      },
      { ports, run: { runAs: "sync.beta", originRemoteSystem: "beta" } },
    );
    expect(step.status).toBe("completed");
    const write = ports.records.writes[0];
    expect(write?.meta).toMatchObject({
      runAs: "sync.beta",
      originRemoteSystem: "beta",
      idempotencyKey: "row-1:node",
    });
    expect(ports.records.journal.get(write?.sysId ?? "")).toHaveLength(1);
    const bad = await runNode(
      "create_record",
      { table: "incident", values: literal({ state: "99" }) },
      { ports },
    );
    expect(bad.step.error).toMatchObject({ code: "RECORD_INVALID", field: "state" });
    expect(bad.step.error?.message).toMatch(/incident\.state/);
  });

  it("lookup_record finds by sys_id or conditions; without either it fails", async () => {
    const ports = createMemoryPorts();
    const rec = ports.records.seed("sys_user", { user_name: "bob", name: "Bob" });
    expect(
      (await runNode("lookup_record", { table: "sys_user", sysId: literal(rec.sys_id) }, { ports })).step
        .outputs,
    ).toMatchObject({ found: true });
    expect(
      (await runNode("lookup_record", { table: "sys_user", where: literal({ name: "Bob" }) }, { ports })).step
        .outputs,
    ).toMatchObject({ sys_id: rec.sys_id });
    expect(
      (await runNode("lookup_record", { table: "sys_user", where: literal({ name: "Al" }) }, { ports })).step
        .outputs,
    ).toMatchObject({ found: false });
    expect((await runNode("lookup_record", { table: "sys_user" }, { ports })).step.status).toBe("error");
  });

  it("update_record updates; an unknown sys_id fails", async () => {
    const ports = createMemoryPorts();
    const rec = ports.records.seed("incident", { short_description: "a" });
    const cfg = {
      table: "incident",
      sysId: literal(rec.sys_id),
      values: literal({ short_description: "b" }),
    };
    expect((await runNode("update_record", cfg, { ports })).step.status).toBe("completed");
    expect(ports.records.tables.get("incident")?.get(rec.sys_id)?.short_description).toBe("b");
    expect(
      (await runNode("update_record", { ...cfg, sysId: literal("nope") }, { ports })).step.error?.code,
    ).toBe("NOT_FOUND");
  });

  it("delete_record deletes; deleting twice fails", async () => {
    const ports = createMemoryPorts();
    const rec = ports.records.seed("incident", {});
    const cfg = { table: "incident", sysId: literal(rec.sys_id) };
    expect((await runNode("delete_record", cfg, { ports })).step.outputs).toMatchObject({ deleted: true });
    expect((await runNode("delete_record", cfg, { ports })).step.status).toBe("error");
  });

  it("map_fields maps all included fields, resolves references by name, applies value maps", async () => {
    const ports = createMemoryPorts();
    const bob = ports.records.seed("sys_user", { name: "Bob Smith" });
    const source = {
      sys_id: { value: "x" },
      short_description: { value: "Disk full", changed: true },
      resolved_by: { value: "remote-id", display_value: "Bob Smith", changed: true },
      not_a_field: { value: 1 },
      impact: { value: "3", changed: false },
    };
    const { step } = await runNode(
      "map_fields",
      {
        table: "incident",
        source: pill("inputs.source"),
        onlyChanged: true,
        rows: [{ field: "urgency", value: literal("critical"), valueMap: { critical: "1", minor: "3" } }],
      },
      { ports, inputs: { source } },
    );
    expect(step.status).toBe("completed");
    expect(step.outputs).toMatchObject({
      values: { short_description: "Disk full", resolved_by: bob.sys_id, urgency: "1" },
      skipped: ["not_a_field"],
    });
    expect((step.outputs as { values: Record<string, unknown> }).values).not.toHaveProperty("impact");
  });

  it("map_fields: a row naming a field the table lacks fails with that field", async () => {
    const { step } = await runNode("map_fields", {
      table: "incident",
      rows: [{ field: "colour", value: literal("red") }],
    });
    expect(step.error).toMatchObject({ code: "UNKNOWN_FIELD", field: "colour" });
  });
});

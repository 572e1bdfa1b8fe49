import { beforeEach, describe, expect, it } from "vitest";
import { auditOf } from "../api/history";
import { memoryInstance, testActor } from "../testing/memory-instance";
import type { RecordChange } from "./types";

describe("RecordService", () => {
  let env: ReturnType<typeof memoryInstance>;
  let hardware: string;
  beforeEach(() => {
    env = memoryInstance();
    hardware = env.records.create("sys_user_group", { name: "Hardware" }, testActor).sys_id;
    env.records.create("sys_user_group", { name: "Network" }, testActor);
  });

  it("numbers incidents INC0010001, INC0010002 and fills defaults and priority", () => {
    const a = env.records.create(
      "incident",
      { short_description: "A", impact: "1", urgency: "2" },
      testActor,
    );
    const b = env.records.create("incident", { short_description: "B" }, testActor);
    expect(a.number).toBe("INC0010001");
    expect(b.number).toBe("INC0010002");
    expect(a.state).toBe("1");
    expect(a.priority).toBe("2");
    expect(b.priority).toBe("5");
    expect(a.sys_id).toMatch(/^[0-9a-f]{32}$/);
  });

  it("resolves references by sys_id or display value and rejects unknown ones naming the field", () => {
    const inc = env.records.create(
      "incident",
      { short_description: "x", assignment_group: "Network" },
      testActor,
    );
    expect(inc.assignment_group).toBe(env.records.resolveReference("sys_user_group", "Network"));
    expect(() =>
      env.records.create("incident", { short_description: "x", assignment_group: "Nope" }, testActor),
    ).toThrow(/Invalid reference for field assignment_group/);
  });

  it("rejects a bad choice value naming the field, and writes nothing", () => {
    expect(() => env.records.create("incident", { short_description: "x", state: "42" }, testActor)).toThrow(
      /Invalid choice value "42" for field state/,
    );
    expect(env.records.list("incident").total).toBe(0);
  });

  it("appends journal entries and audits each changed field", async () => {
    const inc = env.records.create("incident", { short_description: "x" }, testActor);
    env.records.update("incident", inc.sys_id, { comments: "first", state: "2" }, testActor);
    env.records.update("incident", inc.sys_id, { comments: "second" }, testActor);
    const journal = env.records.journal(inc.sys_id);
    expect(journal.map((j) => j.value)).toEqual(["second", "first"]);
    const audit = await auditOf(env.storage, "incident", inc.sys_id);
    expect(audit.some((a) => a.operation === "update" && a.field === "state")).toBe(true);
    expect(audit.filter((a) => a.operation === "journal")).toHaveLength(2);
  });

  it("runs change hooks inside the transaction: a failing hook undoes the write", () => {
    const seen: RecordChange[] = [];
    env.records.onChange((c) => seen.push(c));
    const inc = env.records.create("incident", { short_description: "x" }, testActor);
    env.records.update("incident", inc.sys_id, { state: "2" }, testActor);
    env.records.update("incident", inc.sys_id, { state: "2" }, testActor); // no change → no hook
    expect(seen.map((c) => [c.operation, c.changedFields.join()])).toEqual([
      ["create", expect.stringContaining("short_description")],
      ["update", "state"],
    ]);
    env.records.onChange(() => {
      throw new Error("capture failed");
    });
    expect(() => env.records.update("incident", inc.sys_id, { state: "3" }, testActor)).toThrow(
      "capture failed",
    );
    expect(env.records.get("incident", inc.sys_id)?.state).toBe("2");
  });

  it("lists with encoded queries, ordering and paging", () => {
    for (let i = 0; i < 5; i++) {
      env.records.create(
        "incident",
        {
          short_description: `n${i}`,
          assignment_group: i % 2 ? hardware : "Network",
          state: i < 2 ? "1" : "6",
        },
        testActor,
      );
    }
    const page = env.records.list("incident", {
      query: `assignment_group=${hardware}^ORDERBYDESCnumber`,
      limit: 1,
      offset: 1,
    });
    expect(page.total).toBe(2);
    expect(page.rows.map((r) => r.number)).toEqual(["INC0010002"]);
    expect(env.records.list("incident", { query: "state<6" }).total).toBe(2);
    expect(env.records.list("incident", { query: "short_descriptionLIKEn^stateIN1,6" }).total).toBe(5);
    expect(() => env.records.list("incident", { query: "nope=1" })).toThrow(/unknown field "nope"/);
    // Without a count (display look-ups), the matches are not counted: total is what came back.
    const uncounted = env.records.list("incident", { query: "state=6", limit: 2, count: false });
    expect(uncounted.rows).toHaveLength(2);
    expect(uncounted.total).toBe(2);
    expect(env.records.list("incident", { query: "state=6", limit: 2 }).total).toBe(3);
  });

  it("deletes a record with its journal", () => {
    const inc = env.records.create("incident", { short_description: "x", comments: "hi" }, testActor);
    env.records.delete("incident", inc.sys_id, testActor);
    expect(env.records.get("incident", inc.sys_id)).toBeNull();
    expect(env.records.journal(inc.sys_id)).toEqual([]);
    expect(() => env.records.delete("incident", inc.sys_id, testActor)).toThrow(/No Record found/);
  });

  it("refuses duplicate unique values", () => {
    expect(() => env.records.create("sys_user_group", { name: "Hardware" }, testActor)).toThrow(
      /already used/,
    );
  });
});

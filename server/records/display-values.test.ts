import { beforeEach, describe, expect, it } from "vitest";
import { memoryInstance, testActor } from "../testing/memory-instance";
import { displayValues, renderJournal, userDisplayNames } from "./display-values";
import type { JournalEntry } from "./types";

describe("displayValues", () => {
  let env: ReturnType<typeof memoryInstance>;
  beforeEach(async () => {
    env = memoryInstance();
    await env.users.create({ user_name: "beth.anglin", name: "Beth Anglin", roles: "itil" }, testActor);
    await env.records.create("sys_user_group", { name: "Hardware" }, testActor);
  });

  it("shows choice labels, referenced display values and rendered journals", async () => {
    const inc = await env.records.create(
      "incident",
      { short_description: "x", state: "2", assignment_group: "Hardware", caller: "beth.anglin" },
      { userName: "beth.anglin", origin: "ui" },
    );
    await env.records.update(
      "incident",
      inc.sys_id,
      { comments: "first" },
      { userName: "beth.anglin", origin: "ui" },
    );
    const [row] = await displayValues(env.records, "incident", [
      await env.records.require("incident", inc.sys_id),
    ]);
    expect(row?.state).toBe("In Progress");
    expect(row?.assignment_group).toBe("Hardware");
    expect(row?.caller).toBe("Beth Anglin");
    expect(row?.assigned_to).toBe("");
    expect(row?.number).toBe(inc.number);
    expect(row?.comments).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d - Beth Anglin \(Additional comments\)\nfirst\n\n$/,
    );
    expect(row?.work_notes).toBe("");
  });

  it("batches references: many rows, one look-up per referenced table", async () => {
    for (let i = 0; i < 30; i++) {
      await env.records.create(
        "incident",
        { short_description: `n${i}`, assignment_group: "Hardware" },
        testActor,
      );
    }
    const { rows } = await env.records.list("incident");
    const calls: string[] = [];
    const listPlan = env.records.listPlan.bind(env.records);
    env.records.listPlan = (table, options) => {
      calls.push(table);
      return listPlan(table, options);
    };
    const shown = await displayValues(env.records, "incident", rows, { journal: false });
    expect(shown.every((r) => r.assignment_group === "Hardware")).toBe(true);
    expect(calls).toEqual(["sys_user_group"]); // no sys_user look-up: no row references a user
  });

  it("shows a dangling reference as empty", async () => {
    const inc = await env.records.create(
      "incident",
      { short_description: "x", assignment_group: "Hardware" },
      testActor,
    );
    await env.records.delete("sys_user_group", inc.assignment_group ?? "", testActor);
    const [row] = await displayValues(env.records, "incident", [
      await env.records.require("incident", inc.sys_id),
    ]);
    expect(row?.assignment_group).toBe("");
  });
});

describe("renderJournal", () => {
  const entry = (
    value: string,
    createdOn: string,
    element = "comments",
    createdBy = "admin",
  ): JournalEntry => ({
    entryId: value,
    element,
    value,
    createdBy,
    createdOn,
  });

  it("renders newest first with author names and field labels", async () => {
    const text = renderJournal(
      [entry("older", "2026-01-01 10:00:00"), entry("newer", "2026-01-02 09:00:00", "work_notes", "ghost")],
      new Map([["admin", "System Administrator"]]),
    );
    expect(text).toBe(
      "2026-01-02 09:00:00 - ghost (Work notes)\nnewer\n\n" +
        "2026-01-01 10:00:00 - System Administrator (Additional comments)\nolder\n\n",
    );
  });

  it("is empty without entries", async () => {
    expect(renderJournal([])).toBe("");
  });
});

describe("userDisplayNames", () => {
  it("maps user names to names, skipping unknown and unlistable ones", async () => {
    const env = memoryInstance();
    await env.users.create({ user_name: "david.loo", name: "David Loo" }, testActor);
    const names = await userDisplayNames(env.records, ["david.loo", "nobody", "a,b", "x^y", ""]);
    expect([...names]).toEqual([["david.loo", "David Loo"]]);
  });
});

import { beforeEach, describe, expect, it } from "vitest";
import { auditOf } from "../api/history";
import { memoryInstance, testActor } from "../testing/memory-instance";
import { displayValues } from "./display-values";
import type { RecordChange } from "./types";

describe("RecordService", () => {
  let env: ReturnType<typeof memoryInstance>;
  let hardware: string;
  beforeEach(async () => {
    env = memoryInstance();
    hardware = (await env.records.create("sys_user_group", { name: "Hardware" }, testActor)).sys_id;
    await env.records.create("sys_user_group", { name: "Network" }, testActor);
  });

  it("answers repeated look-ups from memory and forgets them when the table is written", async () => {
    const read = env.storage.read.bind(env.storage);
    let reads = 0;
    env.storage.read = ((make) => {
      reads += 1;
      return read(make);
    }) as typeof env.storage.read;
    for (let i = 0; i < 20; i++)
      expect((await env.records.find("sys_user_group", "name=Hardware"))?.sys_id).toBe(hardware);
    expect(await env.records.find("sys_user_group", "name=Storage")).toBeNull();
    expect(reads).toBe(2);
    // a caller changing its answer does not change the next one
    const answer = await env.records.find("sys_user_group", "name=Hardware");
    if (answer) answer.name = "changed";
    expect((await env.records.find("sys_user_group", "name=Hardware"))?.name).toBe("Hardware");

    const storage = await env.records.create("sys_user_group", { name: "Storage" }, testActor);
    expect((await env.records.find("sys_user_group", "name=Storage"))?.sys_id).toBe(storage.sys_id);
    await env.records.update("sys_user_group", hardware, { name: "Hardware (old)" }, testActor);
    expect(await env.records.find("sys_user_group", "name=Hardware")).toBeNull();
    await env.records.delete("sys_user_group", storage.sys_id, testActor);
    expect(await env.records.find("sys_user_group", "name=Storage")).toBeNull();
    // a write elsewhere keeps what was found here
    reads = 0;
    await env.records.find("sys_user_group", "name=Network");
    await env.records.create("incident", { short_description: "elsewhere" }, testActor);
    await env.records.find("sys_user_group", "name=Network");
    expect(reads).toBe(1);
    env.storage.read = read;
  });

  it("does not keep a look-up's answer when a write to its table lands before the answer is back", async () => {
    const read = env.storage.read.bind(env.storage);
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    env.storage.read = (async (make) => {
      const answer = await read(make);
      await held; // the answer is on its way back while the rename commits
      return answer;
    }) as typeof env.storage.read;
    const pending = env.records.find("sys_user_group", "name=Hardware");
    env.storage.read = read;
    await env.records.update("sys_user_group", hardware, { name: "Hardware (old)" }, testActor);
    release();
    expect((await pending)?.sys_id).toBe(hardware); // what was true when it was read
    expect(await env.records.find("sys_user_group", "name=Hardware")).toBeNull(); // not kept
  });

  it("shows references' names from memory once read outside a write, and never a name that was rolled back", async () => {
    const incident = await env.records.create(
      "incident",
      { short_description: "D", assignment_group: hardware },
      testActor,
    );
    const listPlan = env.records.listPlan.bind(env.records);
    let lookups = 0;
    env.records.listPlan = function* (table, options) {
      if (table === "sys_user_group") lookups += 1;
      return yield* listPlan(table, options);
    };
    const shown = async () => (await displayValues(env.records, "incident", [incident]))[0]?.assignment_group;
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    expect(await shown()).toBe("Hardware");
    await turn(); // learnt after the read, outside it
    lookups = 0;
    for (let i = 0; i < 5; i++) expect(await shown()).toBe("Hardware");
    expect(lookups).toBe(0);

    // a rename that rolls back (a change hook refuses it) leaves the name as it was
    // biome-ignore lint/correctness/useYield: a hook that only refuses
    const off = env.records.onChange(function* (change) {
      if (change.table.name === "sys_user_group") throw new Error("refused");
    });
    await expect(
      env.records.update("sys_user_group", hardware, { name: "Broken" }, testActor),
    ).rejects.toThrow();
    off();
    expect(await shown()).toBe("Hardware");
    await turn();
    expect(await shown()).toBe("Hardware");

    await env.records.update("sys_user_group", hardware, { name: "Hardware & Peripherals" }, testActor);
    expect(await shown()).toBe("Hardware & Peripherals");
    await turn();
    lookups = 0;
    expect(await shown()).toBe("Hardware & Peripherals");
    expect(lookups).toBe(0);
    env.records.listPlan = listPlan;
  });

  it("numbers incidents INC0010001, INC0010002 and fills defaults and priority", async () => {
    const a = await env.records.create(
      "incident",
      { short_description: "A", impact: "1", urgency: "2" },
      testActor,
    );
    const b = await env.records.create("incident", { short_description: "B" }, testActor);
    expect(a.number).toBe("INC0010001");
    expect(b.number).toBe("INC0010002");
    expect(a.state).toBe("1");
    expect(a.priority).toBe("2");
    expect(b.priority).toBe("5");
    expect(a.sys_id).toMatch(/^[0-9a-f]{32}$/);
  });

  it("keeps a number given in the table's form (migrated records) and numbers on past it", async () => {
    const migrated = await env.records.create(
      "incident",
      { short_description: "M", number: "INC0012345" },
      testActor,
    );
    const malformed = await env.records.create(
      "incident",
      { short_description: "X", number: "12345" },
      testActor,
    );
    const next = await env.records.create("incident", { short_description: "N" }, testActor);
    expect(migrated.number).toBe("INC0012345");
    expect(malformed.number).toBe("INC0012346");
    expect(next.number).toBe("INC0012347");
  });

  it("answers a create with the record exactly as a read gives it back", async () => {
    const created = await env.records.create(
      "incident",
      { short_description: "Read back", assignment_group: hardware, description: "d" },
      testActor,
    );
    expect(created).toEqual(await env.records.get("incident", created.sys_id));
    expect(Object.keys(created)).toEqual(
      Object.keys((await env.records.get("incident", created.sys_id)) ?? {}),
    );
  });

  it("resolves references by sys_id or display value and rejects unknown ones naming the field", async () => {
    const inc = await env.records.create(
      "incident",
      { short_description: "x", assignment_group: "Network" },
      testActor,
    );
    expect(inc.assignment_group).toBe(await env.records.resolveReference("sys_user_group", "Network"));
    await expect(
      env.records.create("incident", { short_description: "x", assignment_group: "Nope" }, testActor),
    ).rejects.toThrow(/Invalid reference for field assignment_group/);
  });

  it("rejects a bad choice value naming the field, and writes nothing", async () => {
    await expect(
      env.records.create("incident", { short_description: "x", state: "42" }, testActor),
    ).rejects.toThrow(/Invalid choice value "42" for field state/);
    expect((await env.records.list("incident")).total).toBe(0);
  });

  it("appends journal entries and audits each changed field", async () => {
    const inc = await env.records.create("incident", { short_description: "x" }, testActor);
    await env.records.update("incident", inc.sys_id, { comments: "first", state: "2" }, testActor);
    await env.records.update("incident", inc.sys_id, { comments: "second" }, testActor);
    const journal = await env.records.journal(inc.sys_id);
    expect(journal.map((j) => j.value)).toEqual(["second", "first"]);
    const audit = await auditOf(env.storage, "incident", inc.sys_id);
    expect(audit.some((a) => a.operation === "update" && a.field === "state")).toBe(true);
    expect(audit.filter((a) => a.operation === "journal")).toHaveLength(2);
  });

  it("runs change hooks inside the transaction: a failing hook undoes the write", async () => {
    const seen: RecordChange[] = [];
    // biome-ignore lint/correctness/useYield: a hook that only looks
    env.records.onChange(function* (c) {
      seen.push(c);
    });
    const inc = await env.records.create("incident", { short_description: "x" }, testActor);
    await env.records.update("incident", inc.sys_id, { state: "2" }, testActor);
    await env.records.update("incident", inc.sys_id, { state: "2" }, testActor); // no change → no hook
    expect(seen.map((c) => [c.operation, c.changedFields.join()])).toEqual([
      ["create", expect.stringContaining("short_description")],
      ["update", "state"],
    ]);
    // biome-ignore lint/correctness/useYield: a hook that fails before any statement
    env.records.onChange(function* () {
      throw new Error("capture failed");
    });
    await expect(env.records.update("incident", inc.sys_id, { state: "3" }, testActor)).rejects.toThrow(
      "capture failed",
    );
    expect((await env.records.get("incident", inc.sys_id))?.state).toBe("2");
  });

  it("lists with encoded queries, ordering and paging", async () => {
    for (let i = 0; i < 5; i++) {
      await env.records.create(
        "incident",
        {
          short_description: `n${i}`,
          assignment_group: i % 2 ? hardware : "Network",
          state: i < 2 ? "1" : "6",
        },
        testActor,
      );
    }
    const page = await env.records.list("incident", {
      query: `assignment_group=${hardware}^ORDERBYDESCnumber`,
      limit: 1,
      offset: 1,
    });
    expect(page.total).toBe(2);
    expect(page.rows.map((r) => r.number)).toEqual(["INC0010002"]);
    expect((await env.records.list("incident", { query: "state<6" })).total).toBe(2);
    expect((await env.records.list("incident", { query: "short_descriptionLIKEn^stateIN1,6" })).total).toBe(
      5,
    );
    await expect(env.records.list("incident", { query: "nope=1" })).rejects.toThrow(/unknown field "nope"/);
    // Without a count (display look-ups), the matches are not counted: total is what came back.
    const uncounted = await env.records.list("incident", { query: "state=6", limit: 2, count: false });
    expect(uncounted.rows).toHaveLength(2);
    expect(uncounted.total).toBe(2);
    expect((await env.records.list("incident", { query: "state=6", limit: 2 })).total).toBe(3);
  });

  it("deletes a record with its journal", async () => {
    const inc = await env.records.create("incident", { short_description: "x", comments: "hi" }, testActor);
    await env.records.delete("incident", inc.sys_id, testActor);
    expect(await env.records.get("incident", inc.sys_id)).toBeNull();
    expect(await env.records.journal(inc.sys_id)).toEqual([]);
    await expect(env.records.delete("incident", inc.sys_id, testActor)).rejects.toThrow(/No Record found/);
  });

  it("refuses duplicate unique values", async () => {
    await expect(env.records.create("sys_user_group", { name: "Hardware" }, testActor)).rejects.toThrow(
      /already used/,
    );
  });

  it("refuses an unknown table with a 400 naming it, as a rejected promise (never a synchronous throw)", async () => {
    let pending: Promise<unknown> | undefined;
    expect(() => {
      pending = env.records.create("nope", { short_description: "x" }, testActor);
    }).not.toThrow();
    await expect(pending).rejects.toThrow(/Invalid table nope/);
    await expect(env.records.update("nope", "x", {}, testActor)).rejects.toThrow(/Invalid table nope/);
    await expect(env.records.delete("nope", "x", testActor)).rejects.toThrow(/Invalid table nope/);
  });
});

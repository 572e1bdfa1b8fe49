import { expect, it } from "vitest";
import { type CanvasGraph, getTemplate } from "../../flows";
import { run, type Storage, sql } from "../storage";
import { getExecution, inboundSamples, listExecutions, listFlows } from "./flow-queries";
import { FlowStore, flowPlans } from "./flow-store";

// Flows as stored and their read models, written once and run on every dialect (issue 13): SQLite
// in the unit tests (flow-store.test.ts), SQLite and a real PostgreSQL server in
// tests/integration/storage-seam.test.ts. `fresh` gives an empty, migrated instance database.

const template = (id: string, name: string): CanvasGraph => {
  const graph = structuredClone(getTemplate(id)?.graph) as CanvasGraph & { id?: string };
  delete graph.id;
  return { ...graph, name };
};
/** Parses as a canvas, does not compile: no nodes at all. */
const broken = (name: string): CanvasGraph => ({ ...template("outbound-basic", name), nodes: [], edges: [] });

const insertExecution = sql(
  `INSERT INTO flow_execution (id, flow_id, version, status, queue, queue_row_id, run_key, inputs, outputs, steps,
     error, error_node_id, started_at, duration_ms, trace_id, detail)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, NULL, ?, ?, NULL, 'full')`,
);
const insertLog = sql(
  "INSERT INTO flow_log (execution_id, flow_id, level, message, data, at) VALUES (?, ?, ?, ?, ?, ?)",
);
const insertInbound = sql(
  `INSERT INTO inbound_queue (message_id, remote_system_id, process_event, operation, remote_correlation_id,
     lane_seq, payload, received_at) VALUES (?, 'r1', 'incident', 'insert', ?, 1, ?, ?)`,
);

export function flowStoreContract(fresh: () => Promise<Storage>): void {
  it("creates, finds, lists and saves drafts", async () => {
    const flows = new FlowStore(await fresh());
    const b = await flows.create(template("outbound-basic", "b flow"), "ann", { id: "f-b" });
    expect(b).toMatchObject({
      id: "f-b",
      name: "b flow",
      kind: "outbound",
      latestVersion: null,
      updatedBy: "ann",
    });
    expect((b.draft as CanvasGraph).id).toBe("f-b");
    const a = await flows.cloneTemplate("inbound-basic", "A flow", "bob");
    expect(a).toMatchObject({ name: "A flow", kind: "inbound", templateId: "inbound-basic" });
    expect(await flows.get("f-b")).toEqual(b);
    expect(await flows.findById("nope")).toBeUndefined();
    expect((await flows.findByName("A flow"))?.id).toBe(a.id);
    expect(await flows.findByName("a flow")).toBeUndefined();
    expect((await flows.list()).map((f) => f.name)).toEqual(["A flow", "b flow"]); // bytewise
    await expect(flows.get("nope")).rejects.toMatchObject({ status: 404, message: "Flow not found" });
    await expect(flows.create({ not: "a graph" }, "ann")).rejects.toMatchObject({ status: 400 });

    const saved = await flows.saveDraft("f-b", template("outbound-basic", "B renamed"), "cy");
    expect(saved).toMatchObject({ id: "f-b", name: "B renamed", updatedBy: "cy" });
    expect((saved.draft as CanvasGraph).id).toBe("f-b");
    await expect(flows.saveDraft("nope", template("outbound-basic", "x"), "cy")).rejects.toMatchObject({
      status: 404,
    });
  });

  it("another FlowStore on the database (another process) serves a new version once it is published", async () => {
    const storage = await fresh();
    const [mine, theirs] = [new FlowStore(storage), new FlowStore(storage)];
    const f = await mine.create(template("outbound-basic", "out"), "ann");
    await mine.publish(f.id, "ann");
    expect((await theirs.published(f.id)).version).toBe(1); // remembered there
    await mine.publish(f.id, "bob");
    await expect.poll(async () => (await theirs.published(f.id)).version).toBe(2);
    mine.forgetCaches(); // a configuration import: every process forgets
    await mine.delete(f.id);
    await expect(theirs.published(f.id)).rejects.toMatchObject({ status: 404 });
  });

  it("a burst of runs asking for a flow it has forgotten reads it once, and one asking after a publish sees it", async () => {
    const storage = await fresh();
    const flows = new FlowStore(storage);
    const f = await flows.create(template("outbound-basic", "out"), "ann");
    await flows.publish(f.id, "ann");
    flows.forgetCaches();
    const read = storage.read.bind(storage);
    let reads = 0;
    storage.read = ((make) => {
      reads += 1;
      return read(make);
    }) as Storage["read"];
    try {
      const answers = await Promise.all(Array.from({ length: 50 }, () => flows.published(f.id)));
      expect(reads).toBe(1);
      expect(new Set(answers).size).toBe(1);
      // a read begun before a publish, still on its way back, is not joined by a run that asks after it
      flows.forgetCaches();
      let release = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      storage.read = (async (make) => {
        const answer = await read(make);
        await held;
        return answer;
      }) as Storage["read"];
      const early = flows.published(f.id);
      storage.read = read;
      await flows.publish(f.id, "bob");
      const after = await flows.published(f.id);
      release();
      expect((await early).version).toBe(1);
      expect(after.version).toBe(2);
    } finally {
      storage.read = read;
    }
  });

  it("publishes numbered versions in one transaction; the runner's published flow follows", async () => {
    const flows = new FlowStore(await fresh());
    const f = await flows.create(template("outbound-basic", "out"), "ann");
    await expect(flows.published(f.id)).rejects.toMatchObject({ status: 400, message: "Flow not published" });
    const v1 = await flows.publish(f.id, "ann");
    expect(v1).toMatchObject({ flowId: f.id, version: 1, publishedBy: "ann" });
    expect(v1.graph).toEqual(f.draft);
    const p1 = await flows.published(f.id);
    expect(p1).toMatchObject({ flowId: f.id, name: "out", kind: "outbound", version: 1 });
    expect(await flows.published(f.id)).toBe(p1); // from memory

    const v2 = await flows.publish(f.id, "bob");
    expect(v2.version).toBe(2);
    expect((await flows.published(f.id)).version).toBe(2);
    expect((await flows.published(f.id, 1)).version).toBe(1);
    await expect(flows.published(f.id, 9)).rejects.toMatchObject({ status: 404 });
    expect((await flows.versions(f.id)).map((v) => [v.version, v.publishedBy])).toEqual([
      [2, "bob"],
      [1, "ann"],
    ]);
    expect((await flows.get(f.id)).latestVersion).toBe(2);

    // refused while the draft has errors: nothing is stored
    await flows.saveDraft(f.id, broken("out"), "ann");
    await expect(flows.publish(f.id, "ann")).rejects.toMatchObject({ status: 400 });
    expect((await flows.versions(f.id)).length).toBe(2);
    expect((await flows.get(f.id)).latestVersion).toBe(2);
    await expect(flows.publish("nope", "ann")).rejects.toMatchObject({ status: 404 });
  });

  it("of two publishes racing on one flow, both get a number of their own", async () => {
    const storage = await fresh();
    const flows = new FlowStore(storage);
    const f = await flows.create(template("outbound-basic", "out"), "ann");
    const versions = await Promise.all([
      flows.publish(f.id, "ann"),
      flows.publish(f.id, "bob"),
      storage.transaction(() => flowPlans.publish(f.id, "cy", Date.now())),
    ]);
    expect(versions.map((v) => v.version).sort()).toEqual([1, 2, 3]);
    expect((await flows.get(f.id)).latestVersion).toBe(3);
  });

  it("imports numbered versions and deletes flows with their versions", async () => {
    const storage = await fresh();
    const flows = new FlowStore(storage);
    const f = await flows.create(template("outbound-basic", "out"), "ann", { id: "f1" });
    await flows.importVersion("f1", 3, f.draft, "imp");
    expect((await flows.published("f1")).version).toBe(3);
    await flows.importVersion("f1", 2, f.draft, "imp"); // an older number does not lower latest
    expect((await flows.get("f1")).latestVersion).toBe(3);
    expect((await flows.versions("f1")).map((v) => v.version)).toEqual([3, 2]);
    await expect(flows.importVersion("f1", 4, broken("out"), "imp")).rejects.toMatchObject({ status: 400 });
    await flows.delete("f1");
    expect(await flows.findById("f1")).toBeUndefined();
    expect(await flows.versions("f1")).toEqual([]);
    await expect(flows.published("f1")).rejects.toMatchObject({ status: 404 });
  });

  it("lists flows with their status for the designer", async () => {
    const storage = await fresh();
    const flows = new FlowStore(storage);
    const draft = await flows.create(template("outbound-basic", "zeta"), "ann");
    const published = await flows.create(template("outbound-basic", "Alpha"), "ann");
    const changed = await flows.create(template("inbound-basic", "beta"), "ann");
    await flows.publish(published.id, "bob");
    await flows.publish(changed.id, "bob");
    // moving a node alone is not a change
    const moved = structuredClone(published.draft) as CanvasGraph;
    for (const n of moved.nodes) n.position = { x: n.position.x + 10, y: n.position.y };
    await flows.saveDraft(published.id, moved, "ann");
    await flows.saveDraft(changed.id, { ...(changed.draft as CanvasGraph), description: "new words" }, "ann");
    const list = await listFlows(storage);
    expect(list.map((f) => [f.name, f.status, f.latestVersion, f.lastPublishedBy])).toEqual([
      ["Alpha", "published", 1, "bob"],
      ["beta", "changed", 1, "bob"],
      ["zeta", "draft", null, null],
    ]);
    expect(list[2]).toMatchObject({ id: draft.id, kind: "outbound", templateId: null, updatedBy: "ann" });
    expect(list[0]?.nodeCount).toBe((published.draft as CanvasGraph).nodes.length);
  });

  it("lists executions newest first by filter and shows one with its graph and logs", async () => {
    const storage = await fresh();
    const flows = new FlowStore(storage);
    const f = await flows.create(template("outbound-basic", "out"), "ann", { id: "f1" });
    await flows.publish("f1", "ann");
    const execution = (id: string, status: string, queue: string, rowId: number | null, at: number) =>
      storage.write(() =>
        run(insertExecution, id, "f1", 1, status, queue, rowId, id, '{"a":1}', '{"b":2}', null, at, 5),
      );
    await execution("e1", "completed", "outbound", 7, 100);
    await execution("e2", "error", "outbound", 7, 200);
    await execution("e3", "completed", "inbound", 8, 300);
    await storage.write(() => run(insertLog, "e2", "f1", "info", "hello", '{"x":1}', 201));
    await storage.write(() => run(insertLog, "e2", "f1", "error", "oops", null, 202));

    const ids = async (filter: Parameters<typeof listExecutions>[1]) =>
      (await listExecutions(storage, filter)).map((e) => e.id);
    expect(await ids({ limit: 50 })).toEqual(["e3", "e2", "e1"]);
    expect(await ids({ limit: 2 })).toEqual(["e3", "e2"]);
    expect(await ids({ queue: "outbound", queueRowId: 7, limit: 50 })).toEqual(["e2", "e1"]);
    expect(await ids({ flowId: "f1", status: "completed", limit: 50 })).toEqual(["e3", "e1"]);
    expect(await ids({ flowId: "other", limit: 50 })).toEqual([]);
    expect((await listExecutions(storage, { limit: 1 }))[0]).toEqual({
      id: "e3",
      flowId: "f1",
      flowName: "out",
      version: 1,
      status: "completed",
      queue: "inbound",
      queueRowId: 8,
      error: null,
      startedAt: 300,
      durationMs: 5,
      traceId: null,
      detail: "full",
    });

    const detail = await getExecution(storage, "e2");
    expect(detail).toMatchObject({
      id: "e2",
      status: "error",
      inputs: { a: 1 },
      outputs: { b: 2 },
      steps: [],
    });
    expect(detail?.graph).toEqual(f.draft);
    expect(detail?.logs.map((l) => [l.level, l.message, l.data, l.at])).toEqual([
      ["info", "hello", { x: 1 }, 201],
      ["error", "oops", null, 202],
    ]);
    expect(await getExecution(storage, "nope")).toBeNull();
  });

  it("gives recent inbound payloads as samples, the raw text when it is not JSON", async () => {
    const storage = await fresh();
    const add = (id: string, payload: string, at: number) =>
      storage.write(() => run(insertInbound, id, `rc-${id}`, payload, at));
    await add("m1", '{"number":"INC1"}', 10);
    await add("m2", "not json", 20);
    const samples = await inboundSamples(storage, 20);
    expect(samples.map((s) => [s.remoteCorrelationId, s.payload, s.receivedAt])).toEqual([
      ["rc-m2", "not json", 20],
      ["rc-m1", { number: "INC1" }, 10],
    ]);
    expect(samples[0]).toMatchObject({
      processEvent: "incident",
      operation: "insert",
      localCorrelationId: null,
      remoteSystemId: "r1",
      remoteSystemName: null,
    });
    expect(await inboundSamples(storage, 1)).toHaveLength(1);
  });
}

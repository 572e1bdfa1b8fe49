import { describe, expect, it } from "vitest";
import { compileFlow, type Dag, getTemplate, type StepRecord } from "../../flows";
import { purgeFinishedRows } from "../queue/retention";
import { ExecutionWriter } from "../runner/execution-writer";
import { memoryInstance } from "../testing/memory-instance";
import { journalText, type StoredJournal, unpackSteps } from "./execution-journal";
import { getExecution } from "./flow-queries";
import { JournalSampler, packSummary, samplingFromEnv, summarise } from "./journal-sampling";

const steps: StepRecord[] = [
  {
    nodeId: "map",
    type: "map_fields",
    status: "completed",
    port: "next",
    inputs: { big: "x".repeat(500) },
    outputs: { fields: { a: 1 } },
    startedAt: 1,
    durationMs: 1,
  },
  {
    nodeId: "send",
    type: "send_payload",
    status: "completed",
    port: "next",
    inputs: { payload: "y".repeat(500) },
    outputs: { messageId: "m1" },
    startedAt: 2,
    durationMs: 2,
  },
];

describe("journal sampling", () => {
  it("keeps failed runs whole, the first N successful ones per flow, then one in M", () => {
    const s = new JournalSampler({ keepFirst: 2, oneIn: 3 });
    const kept = Array.from({ length: 9 }, () => s.keepWhole("f1", "completed"));
    expect(kept).toEqual([true, true, false, false, true, false, false, true, false]);
    expect(s.keepWhole("f1", "error")).toBe(true);
    expect(s.keepWhole("f2", "completed")).toBe(true); // counted per flow
    const none = new JournalSampler({ keepFirst: 0, oneIn: 0 });
    expect(none.keepWhole("f", "completed")).toBe(false);
  });

  it("reads its rule from the environment, with defaults for missing or bad values", () => {
    expect(samplingFromEnv({})).toEqual({ keepFirst: 20, oneIn: 100 });
    expect(samplingFromEnv({ TANDEM_JOURNAL_KEEP_FIRST: "0", TANDEM_JOURNAL_SAMPLE_ONE_IN: "x" })).toEqual({
      keepFirst: 0,
      oneIn: 100,
    });
  });

  it("a summary drops every step's inputs and outputs, side effects' included", () => {
    const [map, send] = summarise(steps);
    expect(map).toMatchObject({
      nodeId: "map",
      status: "completed",
      port: "next",
      inputs: null,
      outputs: null,
    });
    expect(send).toMatchObject({ nodeId: "send", status: "completed", inputs: null, outputs: null });
  });

  it("a summary-only run is stored smaller, says so, is never handed to a replay; retention purges it", async () => {
    const { db, storage } = memoryInstance();
    const writer = new ExecutionWriter(storage, Date.now, new JournalSampler({ keepFirst: 1, oneIn: 0 }));
    const old = Date.now() - 10 * 86_400_000;
    db.$client
      .prepare(
        `INSERT INTO inbound_queue (message_id, remote_system_id, process_event, operation, remote_correlation_id,
           lane_seq, payload, status, received_at, finished_at) VALUES (?, 'r', 'e', 'update', 'c', 1, '{}', 'processed', ?, ?)`,
      )
      .run("m1", old, old);
    const seq = (db.$client.prepare("SELECT sequence FROM inbound_queue").get() as { sequence: number })
      .sequence;
    for (const id of ["whole", "summary"])
      writer.add({
        id,
        flowId: "f1",
        version: 1,
        status: "completed",
        queue: "inbound",
        queueRowId: seq,
        runKey: id,
        inputs: { payload: { a: 1 } },
        outputs: {},
        steps,
        error: null,
        errorNodeId: null,
        startedAt: old,
        durationMs: 3,
      });
    await writer.flush();
    expect((await getExecution(storage, "whole"))?.detail).toBe("full");
    const summary = await getExecution(storage, "summary");
    expect(summary?.detail).toBe("summary");
    expect(summary?.inputs).toBeNull();
    expect((await writer.steps("whole"))?.find((s) => s.nodeId === "send")?.outputs).toEqual({
      messageId: "m1",
    });
    expect(await writer.steps("summary")).toBeUndefined();
    // the length of the journal's text (a whole one is kept deflated: execution-journal.ts)
    const size = (id: string) =>
      journalText(
        (
          db.$client.prepare("SELECT steps FROM flow_execution WHERE id = ?").get(id) as {
            steps: StoredJournal;
          }
        ).steps,
      ).length;
    expect(size("summary")).toBeLessThan(size("whole") / 3);
    await purgeFinishedRows(storage, 7 * 86_400_000);
    expect(db.$client.prepare("SELECT count(*) AS n FROM flow_execution").get()).toEqual({ n: 0 });
  });

  it("a summary is stored as compact rows that read back as the same steps, timings to 0.01 ms", () => {
    const t0 = 1_796_345_745_516;
    const run: StepRecord[] = [
      {
        nodeId: "start",
        type: "flow_inputs",
        status: "completed",
        port: "next",
        inputs: { a: 1 },
        outputs: { a: 1 },
        startedAt: t0 + 0.0134,
        durationMs: 0.006980000000112341,
      },
      {
        nodeId: "lookup",
        type: "lookup_correlation",
        status: "completed",
        port: "next",
        inputs: {},
        outputs: { found: false },
        startedAt: t0 + 0.0417,
        durationMs: 0.08670800000027157,
      },
      {
        nodeId: "each",
        type: "map_fields",
        status: "completed",
        iteration: "2.0",
        port: "next",
        inputs: {},
        outputs: {},
        startedAt: t0 + 0.1375,
        durationMs: 0.17768299999988812,
      },
      {
        nodeId: "send",
        type: "send_payload",
        status: "completed",
        port: "next",
        inputs: { payload: {} },
        outputs: { messageId: "m1" },
        startedAt: t0 + 0.3174,
        durationMs: 8.946083000000272,
        replayed: true,
      },
      {
        nodeId: "log",
        type: "log",
        status: "error",
        port: "error",
        inputs: {},
        outputs: null,
        error: { message: "no disk", kind: "transient" },
        startedAt: t0 + 9.5,
        durationMs: 1.25,
      },
    ] as StepRecord[];
    const stored = packSummary(run, t0);
    const back = unpackSteps(stored, null);
    expect(back).toEqual(
      summarise(run).map((s) => ({
        ...s,
        startedAt: expect.closeTo(s.startedAt, 2),
        durationMs: expect.closeTo(s.durationMs, 2),
      })),
    );
    // A plain step (no outputs kept, no loop, no error) costs well under half its old form.
    const plain = run.map(({ nodeId, type, status, port, startedAt, durationMs }) => ({
      nodeId,
      type,
      status,
      port,
      inputs: null,
      outputs: null,
      startedAt,
      durationMs,
    }));
    const packed = packSummary(plain, t0).length;
    const before = JSON.stringify(summarise(plain)).length;
    expect(packed / run.length).toBeLessThan(55);
    expect(packed / before).toBeLessThan(0.4);
  });
});

describe("compact summaries", () => {
  const t0 = 1_796_345_745_516;
  const plain: StepRecord[] = [
    {
      nodeId: "start",
      type: "flow_inputs",
      status: "completed",
      port: "next",
      inputs: {},
      outputs: {},
      startedAt: t0,
      durationMs: 0.004,
    },
    {
      nodeId: "found",
      type: "if",
      status: "completed",
      port: "false",
      inputs: {},
      outputs: {},
      startedAt: t0 + 0.09,
      durationMs: 0,
    },
    {
      nodeId: "each",
      type: "map_fields",
      status: "completed",
      iteration: "2.0",
      port: "next",
      inputs: {},
      outputs: {},
      startedAt: t0 + 0.1375,
      durationMs: 0.1776,
    },
    {
      nodeId: "end",
      type: "end",
      status: "completed",
      inputs: null,
      outputs: null,
      startedAt: t0 + 26.284,
      durationMs: 0,
    },
  ];
  const types = new Map(plain.map((s) => [s.nodeId, s.type]));

  it("a run whose steps all completed plainly keeps ~20 bytes a step, read back with the row's start and the graph's types", () => {
    const stored = packSummary(plain, t0 + 0.4);
    expect(stored.startsWith("~")).toBe(true);
    expect(stored.length / plain.length).toBeLessThan(22);
    expect(stored).not.toContain("map_fields"); // the type is the graph's
    const back = unpackSteps(stored, null, { startedAt: t0 + 0.4, types, nodes: [] });
    expect(back).toEqual(
      summarise(plain).map((s) => ({
        ...s,
        startedAt: expect.closeTo(s.startedAt, 2),
        durationMs: expect.closeTo(s.durationMs, 2),
      })),
    );
    // a node the graph does not have (the version is gone) reads with an empty type
    expect(unpackSteps(stored, null, { startedAt: t0, types: new Map(), nodes: [] })[0]?.type).toBe("");
  });

  it("a step it cannot spell keeps the JSON rows", () => {
    const failedStep: StepRecord = {
      ...plain[1],
      status: "error",
      error: { message: "x", code: "E", retriable: false },
    } as StepRecord;
    for (const odd of [
      [plain[0], failedStep],
      [{ ...plain[0], nodeId: "a,b" }],
      [{ ...plain[0], port: "x;y" }],
      [{ ...plain[0], replayed: true }],
    ] as StepRecord[][]) {
      const stored = packSummary(odd, t0);
      expect(stored.startsWith("{")).toBe(true);
      expect(unpackSteps(stored, null).map((s) => s.nodeId)).toEqual(odd.map((s) => s.nodeId));
    }
  });

  it("the execution view reads a compact summary with its version's node types", async () => {
    const { db, storage } = memoryInstance();
    const graph = {
      schemaVersion: 2,
      name: "f",
      kind: "inbound",
      nodes: plain.map((s, i) => ({
        id: s.nodeId,
        type: s.type,
        typeVersion: 1,
        position: { x: i, y: 0 },
        config: {},
      })),
      edges: [],
    };
    db.$client
      .prepare(
        "INSERT INTO flow (id, name, kind, draft, latest_version, created_at, updated_at, updated_by) VALUES ('f1', 'f', 'inbound', ?, 1, 0, 0, 'u')",
      )
      .run(JSON.stringify(graph));
    db.$client
      .prepare(
        "INSERT INTO flow_version (flow_id, version, graph, dag, published_at, published_by) VALUES ('f1', 1, ?, '{}', 0, 'u')",
      )
      .run(JSON.stringify(graph));
    const writer = new ExecutionWriter(storage, Date.now, new JournalSampler({ keepFirst: 0, oneIn: 0 }));
    writer.add({
      id: "e1",
      flowId: "f1",
      version: 1,
      status: "completed",
      queue: "inbound",
      queueRowId: 1,
      runKey: "in:r:m1:send",
      inputs: { payload: { a: 1 } },
      outputs: {},
      steps: plain,
      error: null,
      errorNodeId: null,
      startedAt: t0,
      durationMs: 27,
    });
    await writer.flush();
    const e = await getExecution(storage, "e1");
    expect(e?.detail).toBe("summary");
    expect(e?.steps.map((s) => [s.nodeId, s.type, s.status, s.port ?? null])).toEqual(
      plain.map((s) => [s.nodeId, s.type, s.status, s.port ?? null]),
    );
    // the summary's run key is its queue row's, not stored again
    expect(db.$client.prepare("SELECT run_key AS k FROM flow_execution WHERE id = 'e1'").get()).toEqual({
      k: "",
    });
  });
});

describe("summaries by node position", () => {
  const t0 = 1_796_345_745_516;
  const dagOf = (template: string): Dag => {
    const dag = compileFlow(getTemplate(template)?.graph).dag;
    if (!dag) throw new Error(`${template} does not compile`);
    return dag;
  };
  const contextOf = (dag: Dag, nodes: readonly string[] = dag.order) => ({
    startedAt: t0,
    types: new Map(Object.entries(dag.nodes).map(([id, n]) => [id, n.type])),
    nodes,
  });
  // summaries as the `~` form stored them, runs of the templates
  const inbound =
    "~start,,0,0;transform,,0,0;lookup,,0.01,0.13;found,false,0.24,0;map_create,,0.24,0.15;create,,0.48,11.86;correlate,,12.47,0.52;has_attachments_create,false,13.06,0;end_created,,13.06,0";
  const outbound =
    "~start,,0,0;lookup,,0,0.13;send,,0.6,47.06;is_new,true,51.79,0;create,,51.79,0.61;end,,52.44,0";

  for (const [template, old] of [
    ["inbound-basic", inbound],
    ["outbound-basic", outbound],
  ] as const) {
    it(`a ${template} run names its nodes by position, half the bytes or less, and reads back the same steps`, () => {
      const dag = dagOf(template);
      const steps = unpackSteps(old, null, contextOf(dag));
      expect(packSummary(steps, t0)).toBe(old); // without the order: the `~` form, as before
      const stored = packSummary(steps, t0, dag.order);
      expect(stored.startsWith("^")).toBe(true);
      expect(stored).not.toContain("start");
      expect(stored.length).toBeLessThanOrEqual(old.length / 2);
      expect(unpackSteps(stored, null, contextOf(dag))).toStrictEqual(steps);
    });
  }

  const order = ["start", "each", "found", "end", "unused"];
  const types = new Map([
    ["start", "flow_inputs"],
    ["each", "map_fields"],
    ["found", "if"],
    ["end", "end"],
  ]);
  const step = (
    nodeId: string,
    at: number,
    durationMs: number,
    more: Partial<StepRecord> = {},
  ): StepRecord => ({
    nodeId,
    type: types.get(nodeId) ?? "",
    status: "completed",
    port: "next",
    inputs: { a: 1 },
    outputs: null,
    startedAt: t0 + at,
    durationMs,
    ...more,
  });
  const run = [
    step("start", 0.0134, 0.00698),
    step("each", 0.0417, 0.1776, { iteration: "0" }),
    step("each", 0.2234, 1.25, { iteration: "1.0" }),
    step("found", 1.4, 0, { port: "false" }),
    step("found", 1.2, 0.05, { port: "maybe", iteration: "" }), // began before the last one ended
    step("end", 26.284, 0, { port: undefined }),
  ];
  const context = { startedAt: t0, types, nodes: order };

  it("with iterations, the ports next, none and others, and steps out of order: the steps the `~` form reads", () => {
    const stored = packSummary(run, t0, order);
    expect(stored).toBe("^z4n0,,1,1;1,,2,18,0;1,,,125,1.0;2,false,-7;2,maybe,-20,5,;3,-,2503");
    expect(unpackSteps(stored, null, context)).toStrictEqual(
      unpackSteps(packSummary(run, t0), null, context),
    );
  });

  it("a step whose node is not in the order, or a time it cannot add up, keeps the `~` form", () => {
    for (const odd of [[...run, step("gone", 30, 1)], [step("start", Number.NaN, 1)]]) {
      const stored = packSummary(odd, t0, order);
      expect(stored.startsWith("~")).toBe(true);
      expect(unpackSteps(stored, null, context).map((s) => s.nodeId)).toEqual(odd.map((s) => s.nodeId));
    }
    expect(packSummary(run, t0, []).startsWith("~")).toBe(true);
  });

  it("a step the compact forms cannot spell keeps the JSON rows, which still read", () => {
    for (const odd of [
      [step("start", 0, 1, { port: "" })], // would read back as "next"
      [step("start", 0, 1, { status: "error", error: { message: "x", code: "E", retriable: false } })],
    ] as StepRecord[][]) {
      const stored = packSummary(odd, t0, order);
      expect(stored.startsWith("{")).toBe(true);
      expect(unpackSteps(stored, null, context)[0]?.port).toBe(odd[0]?.port);
    }
  });

  it("summaries stored before it (the `~` form, the JSON rows) read as they did", () => {
    const [, lookup, , found] = unpackSteps(outbound, null, contextOf(dagOf("outbound-basic")));
    expect(lookup).toStrictEqual({
      nodeId: "lookup",
      type: "lookup_correlation",
      status: "completed",
      port: "next",
      inputs: null,
      outputs: null,
      startedAt: t0,
      durationMs: 0.13,
    });
    expect(found).toMatchObject({ nodeId: "is_new", port: "true", startedAt: t0 + 51.79, durationMs: 0 });
    const rows = JSON.stringify({ t0, rows: [["send", "send_payload", "c", "next", 0.6, 47.06]] });
    expect(unpackSteps(rows, null, context)).toStrictEqual([
      {
        nodeId: "send",
        type: "send_payload",
        status: "completed",
        port: "next",
        inputs: null,
        outputs: null,
        startedAt: t0 + 0.6,
        durationMs: 47.06,
      },
    ]);
  });

  it("read against another node order (the flow made again under its id) or none, steps show their position, not another node", () => {
    const stored = packSummary(run, t0, order);
    for (const nodes of [["end", "found", "each", "start", "unused"], []]) {
      const back = unpackSteps(stored, null, { ...context, nodes });
      expect(back.map((s) => [s.nodeId, s.type])).toEqual([
        ["#0", ""],
        ["#1", ""],
        ["#1", ""],
        ["#2", ""],
        ["#2", ""],
        ["#3", ""],
      ]);
    }
  });
});

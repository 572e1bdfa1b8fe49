import { describe, expect, it } from "vitest";
import { type CanvasGraph, cloneTemplate, literal, pill } from "@/flows";
import { createEditorStore } from "./editor-store";

// Headless: the store alone, no React, no canvas. Each test builds a flow through the store's
// actions (as the palette, handles and inspector would) and reads the compiler's verdict.

const empty = (): CanvasGraph => ({
  schemaVersion: 2,
  name: "Test flow",
  description: "",
  kind: "subflow",
  inputs: [{ name: "who", type: "string" }],
  outputs: [],
  nodes: [],
  edges: [],
});

/** start → log → end, built through the store. */
function startLogEnd() {
  const store = createEditorStore(empty());
  const s = () => store.getState();
  const start = s().addNode("flow_inputs", { x: 0, y: 0 });
  const log = s().addNode("log", { x: 250, y: 0 });
  const end = s().addNode("end", { x: 500, y: 0 });
  s().connect({ source: start, sourceHandle: "next", target: log, targetHandle: null });
  s().connect({ source: log, sourceHandle: "next", target: end, targetHandle: null });
  return { store, s, start, log, end };
}

describe("editor store", () => {
  it("adds, connects and configures nodes into a flow that compiles", () => {
    const { s, log } = startLogEnd();
    expect(
      s()
        .compile()
        .diagnostics.map((d) => d.code),
    ).toContain("REQUIRED_INPUT_EMPTY");

    s().updateConfig(log, { message: pill("inputs.who") });
    const result = s().compile();

    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(result.dag?.order).toEqual(["flow_inputs_1", "log_1", "end_1"]);
  });

  it("refuses a connection that would close a cycle, and one into Flow Inputs", () => {
    const { s, start, log, end } = startLogEnd();
    const cycle = s().connect({ source: end, sourceHandle: "next", target: log, targetHandle: null });
    const back = s().connect({ source: log, sourceHandle: "error", target: start, targetHandle: null });

    expect(cycle.ok).toBe(false);
    expect(back).toMatchObject({ ok: false, code: "EDGE_INTO_START" });
    expect(s().edges).toHaveLength(2);
  });

  it("puts diagnostics on the node a pill reads downstream of", () => {
    const { s, log, end } = startLogEnd();
    s().updateConfig(log, { message: pill(`steps.${end}.x`) });
    s().compile();
    expect(s().diagnosticsByNode[log]?.map((d) => d.code)).toContain("PILL_NOT_UPSTREAM");
  });

  it("undoes and redoes each change, a drag as one step", () => {
    const { s, log } = startLogEnd();
    s().updateConfig(log, { message: literal("hello") });
    s().beginDrag();
    s().onNodesChange([{ type: "position", id: log, position: { x: 999, y: 9 }, dragging: false }]);

    s().undo();
    expect(s().nodes.find((n) => n.id === log)?.position.x).toBe(250);
    s().undo();
    expect(s().nodes.find((n) => n.id === log)?.data.config.message).toEqual(literal(null));
    s().redo();
    s().redo();
    expect(s().nodes.find((n) => n.id === log)?.position.x).toBe(999);
  });

  it("deletes the selection with its edges; copy/paste renames ids and pills inside the copy", () => {
    const { s, log, end } = startLogEnd();
    s().updateConfig(end, { values: { said: pill(`steps.${log}.message`) } });
    s().select([log, end]);
    const clip = s().copySelection();
    if (!clip) throw new Error("nothing copied");

    const other = createEditorStore(empty()).getState();
    const pasted = other.paste(clip);
    const pastedEnd = createEditorStore(other.graph())
      .getState()
      .nodes.find((n) => n.id === pasted[1]);
    expect(pasted).toEqual(["log_1", "end_1"]);
    expect(pastedEnd?.data.config.values).toEqual({ said: pill("steps.log_1.message") });

    const again = s().paste(clip);
    expect(again).toEqual(["log_2", "end_2"]);
    expect(s().edges.filter((e) => e.source === "log_2")).toHaveLength(1);

    s().removeSelected();
    expect(s().nodes.map((n) => n.id)).toEqual(["flow_inputs_1", log, end]);
    expect(s().edges).toHaveLength(2);
  });

  it("lays out the inbound template left to right and round-trips the graph unchanged otherwise", () => {
    const graph = cloneTemplate("inbound-basic", "Copy") as CanvasGraph;
    const store = createEditorStore(graph);
    store.getState().layout();
    const out = store.getState().graph();
    const x = (id: string) => out.nodes.find((n) => n.id === id)?.position.x ?? Number.NaN;

    expect(x("transform")).toBeGreaterThan(x("start"));
    expect(x("update")).toBeGreaterThan(x("found"));
    const strip = (g: CanvasGraph) => ({ ...g, nodes: g.nodes.map(({ position: _p, ...n }) => n) });
    expect(strip(out)).toEqual(strip(graph));
    expect(store.getState().compile().dag).toBeDefined();
  });
});

import {
  addEdge,
  applyEdgeChanges,
  applyNodeChanges,
  type Connection,
  type EdgeChange,
  type NodeChange,
} from "@xyflow/react";
import { createStore, type StoreApi } from "zustand/vanilla";
import {
  type CanvasGraph,
  type CompileResult,
  type ConnectCheck,
  canConnect,
  compileFlow,
  type Diagnostic,
  defaultConfig,
  getNodeType,
  literal,
  type StepRecord,
} from "@/flows";
import { CLIPBOARD_KIND, type ClipboardData, preparePaste } from "./clipboard";
import {
  edgeLook,
  type FlowEdge,
  type FlowMeta,
  type FlowNode,
  freshId,
  splitGraph,
  toCanvasEdge,
  toCanvasNode,
  toFlowEdge,
  toFlowNode,
  toGraph,
} from "./graph-model";
import { autoLayout } from "./layout";

export type DiffMark = "added" | "removed" | "changed";

/** A journal step as it arrives over the API (JSON leaves `unknown` fields optional). */
export type StepView = Omit<StepRecord, "inputs" | "outputs"> & { inputs?: unknown; outputs?: unknown };

/** Per-node decorations: kept beside the nodes so updating them never rebuilds the graph. */
export interface Decorations {
  diagnostics: Diagnostic[];
  diagnosticsByNode: Record<string, Diagnostic[]>;
  steps: Record<string, StepView>;
  diff: Record<string, DiffMark>;
}

export interface EditorState extends Decorations {
  meta: FlowMeta;
  nodes: FlowNode[];
  edges: FlowEdge[];
  past: CanvasGraph[];
  future: CanvasGraph[];
  /** Bumped by every change to the saved graph (not by selection or decorations): autosave watches it. */
  revision: number;
  readOnly: boolean;

  onNodesChange(changes: NodeChange<FlowNode>[]): void;
  onEdgesChange(changes: EdgeChange<FlowEdge>[]): void;
  /** Records an undo step before a drag moves nodes (positions then change freely). */
  beginDrag(): void;
  checkConnection(c: Connection): ConnectCheck;
  connect(c: Connection): ConnectCheck;
  addNode(typeId: string, position: { x: number; y: number }): string;
  updateConfig(id: string, patch: Record<string, unknown>): void;
  setLabel(id: string, label: string): void;
  setMeta(patch: Partial<FlowMeta>): void;
  select(ids: readonly string[]): void;
  selectAll(): void;
  removeSelected(): void;
  copySelection(): ClipboardData | null;
  paste(data: ClipboardData, offset?: { x: number; y: number }): string[];
  layout(): void;
  undo(): void;
  redo(): void;
  load(graph: CanvasGraph): void;
  graph(): CanvasGraph;
  compile(): CompileResult;
  setSteps(steps: readonly StepView[]): void;
  setDiff(diff: Record<string, DiffMark>): void;
}

const HISTORY_LIMIT = 100;

function byNode(ds: readonly Diagnostic[]): Record<string, Diagnostic[]> {
  const out: Record<string, Diagnostic[]> = {};
  for (const d of ds) {
    if (!d.nodeId) continue;
    const list = out[d.nodeId] ?? [];
    list.push(d);
    out[d.nodeId] = list;
  }
  return out;
}

/** Every declared input gets an (empty) binding, so "required" shows as a diagnostic, not a schema error. */
function initialConfig(typeId: string): Record<string, unknown> {
  const type = getNodeType(typeId);
  if (!type) return {};
  const config = defaultConfig(type);
  for (const key of Object.keys(type.inputs)) if (!(key in config)) config[key] = literal(null);
  return config;
}

export type EditorStore = StoreApi<EditorState>;

/** One store per open flow (two editors, e.g. for copy/paste between flows, never share state). */
export function createEditorStore(graph: CanvasGraph, options: { readOnly?: boolean } = {}): EditorStore {
  return createStore<EditorState>()((set, get) => {
    /** Applies a graph change and records the state before it for undo. */
    const commit = (patch: Partial<EditorState>) => {
      const s = get();
      set({
        ...patch,
        past: [...s.past.slice(-(HISTORY_LIMIT - 1)), s.graph()],
        future: [],
        revision: s.revision + 1,
      });
    };
    const restore = (g: CanvasGraph) => {
      const { meta, nodes, edges } = splitGraph(g);
      return { meta, nodes, edges, revision: get().revision + 1 };
    };
    const initial = splitGraph(graph);

    return {
      ...initial,
      diagnostics: [],
      diagnosticsByNode: {},
      steps: {},
      diff: {},
      past: [],
      future: [],
      revision: 0,
      readOnly: options.readOnly ?? false,

      onNodesChange(changes) {
        const s = get();
        const removes = changes.filter((c) => c.type === "remove");
        if (removes.length > 0) {
          const gone = new Set(removes.map((c) => c.id));
          commit({
            nodes: applyNodeChanges(changes, s.nodes),
            edges: s.edges.filter((e) => !gone.has(e.source) && !gone.has(e.target)),
          });
          return;
        }
        // Position changes are saved, but their undo step was taken when the drag began.
        const moves = changes.some((c) => c.type === "position" && c.dragging === false);
        set({ nodes: applyNodeChanges(changes, s.nodes), ...(moves ? { revision: s.revision + 1 } : {}) });
      },

      onEdgesChange(changes) {
        const s = get();
        const next = applyEdgeChanges(changes, s.edges);
        if (changes.some((c) => c.type === "remove")) commit({ edges: next });
        else set({ edges: next });
      },

      beginDrag() {
        const s = get();
        set({ past: [...s.past.slice(-(HISTORY_LIMIT - 1)), s.graph()], future: [] });
      },

      checkConnection(c) {
        const s = get();
        if (!c.source || !c.target) return { ok: false, code: "EDGE_TO_MISSING_NODE", message: "Incomplete" };
        if (c.source === c.target)
          return { ok: false, code: "CYCLE", message: "A node cannot lead to itself." };
        return canConnect(
          {
            nodes: s.nodes.map((n) => ({ id: n.id, type: n.data.typeId })),
            edges: s.edges.map((e) => ({
              source: e.source,
              sourcePort: e.sourceHandle ?? "next",
              target: e.target,
            })),
          },
          { source: c.source, sourcePort: c.sourceHandle ?? "next", target: c.target },
        );
      },

      connect(c) {
        const check = get().checkConnection(c);
        if (!check.ok) return check;
        const s = get();
        const port = c.sourceHandle ?? "next";
        const id = freshId("e", new Set(s.edges.map((e) => e.id)));
        commit({ edges: addEdge({ ...c, sourceHandle: port, id, ...edgeLook(port) }, s.edges) });
        return check;
      },

      addNode(typeId, position) {
        const s = get();
        const type = getNodeType(typeId);
        const id = freshId(typeId, new Set(s.nodes.map((n) => n.id)));
        const node = toFlowNode({
          id,
          type: typeId,
          typeVersion: type?.version ?? 1,
          position,
          label: type?.label ?? typeId,
          config: initialConfig(typeId),
        });
        commit({
          nodes: [
            ...s.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)),
            { ...node, selected: true },
          ],
        });
        return id;
      },

      updateConfig(id, patch) {
        const s = get();
        commit({
          nodes: s.nodes.map((n) =>
            n.id === id ? { ...n, data: { ...n.data, config: { ...n.data.config, ...patch } } } : n,
          ),
        });
      },

      setLabel(id, label) {
        const s = get();
        commit({ nodes: s.nodes.map((n) => (n.id === id ? { ...n, data: { ...n.data, label } } : n)) });
      },

      setMeta(patch) {
        commit({ meta: { ...get().meta, ...patch } });
      },

      select(ids) {
        const want = new Set(ids);
        set({
          nodes: get().nodes.map((n) =>
            want.has(n.id) === !!n.selected ? n : { ...n, selected: want.has(n.id) },
          ),
          edges: get().edges.map((e) => (e.selected ? { ...e, selected: false } : e)),
        });
      },

      selectAll() {
        set({ nodes: get().nodes.map((n) => (n.selected ? n : { ...n, selected: true })) });
      },

      removeSelected() {
        const s = get();
        const gone = new Set(s.nodes.filter((n) => n.selected).map((n) => n.id));
        const edges = s.edges.filter((e) => !e.selected && !gone.has(e.source) && !gone.has(e.target));
        if (gone.size === 0 && edges.length === s.edges.length) return;
        commit({ nodes: s.nodes.filter((n) => !gone.has(n.id)), edges });
      },

      copySelection() {
        const s = get();
        const picked = s.nodes.filter((n) => n.selected);
        if (picked.length === 0) return null;
        const ids = new Set(picked.map((n) => n.id));
        return {
          kind: CLIPBOARD_KIND,
          nodes: picked.map(toCanvasNode),
          edges: s.edges.filter((e) => ids.has(e.source) && ids.has(e.target)).map(toCanvasEdge),
        };
      },

      paste(data, offset = { x: 40, y: 40 }) {
        const s = get();
        const taken = new Set([...s.nodes.map((n) => n.id), ...s.edges.map((e) => e.id)]);
        const { nodes, edges } = preparePaste(data, taken, offset);
        commit({
          nodes: [
            ...s.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)),
            ...nodes.map((n) => ({ ...toFlowNode(n), selected: true })),
          ],
          edges: [...s.edges, ...edges.map(toFlowEdge)],
        });
        return nodes.map((n) => n.id);
      },

      layout() {
        const s = get();
        commit({ nodes: autoLayout(s.nodes, s.edges) });
      },

      undo() {
        const s = get();
        const prev = s.past.at(-1);
        if (!prev) return;
        set({ ...restore(prev), past: s.past.slice(0, -1), future: [s.graph(), ...s.future] });
      },

      redo() {
        const s = get();
        const next = s.future[0];
        if (!next) return;
        set({ ...restore(next), past: [...s.past, s.graph()], future: s.future.slice(1) });
      },

      load(g) {
        set({ ...restore(g), past: [], future: [], steps: {}, diff: {} });
      },

      graph() {
        const s = get();
        return toGraph(s.meta, s.nodes, s.edges);
      },

      compile() {
        const result = compileFlow(get().graph());
        set({ diagnostics: result.diagnostics, diagnosticsByNode: byNode(result.diagnostics) });
        return result;
      },

      setSteps(steps) {
        // For Each runs a node many times; the canvas shows its last iteration.
        const out: Record<string, StepView> = {};
        for (const st of steps) out[st.nodeId] = st;
        set({ steps: out });
      },

      setDiff(diff) {
        set({ diff });
      },
    };
  });
}

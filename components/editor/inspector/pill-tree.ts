import {
  ancestors,
  buildGraph,
  type CanvasGraph,
  defaultConfig,
  getNodeType,
  type ValueKind,
  type ValueType,
} from "@/flows";

/** What the data-pill picker lists: the flow inputs and every upstream node's typed outputs. */
export interface PillEntry {
  key: string;
  label: string;
  path: string[];
  type: ValueKind;
  children: PillEntry[];
}

export interface PillSource {
  id: string;
  title: string;
  entries: PillEntry[];
}

const MAX_DEPTH = 4;

function entriesOf(type: ValueType, path: string[], depth: number): PillEntry[] {
  if (type.type !== "object" || !type.fields || depth > MAX_DEPTH) return [];
  return Object.entries(type.fields).map(([key, t]) => ({
    key,
    label: t.label ?? key,
    path: [...path, key],
    type: t.type,
    children: entriesOf(t, [...path, key], depth + 1),
  }));
}

function outputsOf(graph: CanvasGraph, nodeId: string): ValueType {
  const node = graph.nodes.find((n) => n.id === nodeId);
  const type = node ? getNodeType(node.type) : undefined;
  if (!node || !type) return { type: "any" };
  // A half-configured node still offers the outputs its defaults imply.
  const parsed = type.configSchema.safeParse(node.config);
  const config = parsed.success ? parsed.data : { ...defaultConfig(type), ...node.config };
  try {
    return type.outputs(config, { flowInputs: graph.inputs });
  } catch {
    return { type: "any" };
  }
}

export function pillSources(graph: CanvasGraph, nodeId: string): PillSource[] {
  const inputs: PillSource = {
    id: "inputs",
    title: "Flow inputs",
    entries: graph.inputs.map((p) => ({
      key: p.name,
      label: p.label ?? p.name,
      path: ["inputs", p.name],
      type: p.type,
      children: [],
    })),
  };
  const g = buildGraph(
    graph.nodes.map((n) => n.id),
    graph.edges,
  );
  const up = ancestors(g, nodeId);
  const steps: PillSource[] = [];
  // Canvas order (left to right) reads like the flow runs.
  const ordered = graph.nodes.filter((n) => up.has(n.id)).sort((a, b) => a.position.x - b.position.x);
  for (const n of ordered) {
    const type = getNodeType(n.type);
    if (!type || type.role === "start") continue;
    const entries = entriesOf(outputsOf(graph, n.id), ["steps", n.id], 0);
    if (entries.length > 0) steps.push({ id: n.id, title: n.label || type.label, entries });
  }
  return [inputs, ...steps];
}

import { buildGraph, findCycle, reachableFrom, topologicalOrder, upstreamIndex } from "../graph/graph";
import { getNodeType } from "../registry/registry";
import type { NodeType } from "../registry/types";
import { type CanvasGraph, canvasGraphSchema } from "../schema/canvas";
import { DAG_VERSION, type Dag, type DagNode } from "../schema/dag";
import { migrateCanvas } from "../schema/migrate";
import { t, type ValueType } from "../schema/value-type";
import { type BindingScope, checkBindings } from "./check-bindings";
import { type Diagnostic, diagnostic, hasErrors } from "./diagnostics";

export interface CompileResult {
  dag?: Dag;
  diagnostics: Diagnostic[];
  /** The migrated, validated canvas (present whenever it parsed). */
  graph?: CanvasGraph;
}

const MAX_SCHEMA_ISSUES = 20;

/** Migrate and validate raw JSON into a canvas graph, or explain why not. */
export function parseCanvas(raw: unknown): { graph?: CanvasGraph; diagnostics: Diagnostic[] } {
  const migrated = migrateCanvas(raw);
  if (!migrated.ok) {
    const code = /schemaVersion/.test(migrated.message) ? "UNSUPPORTED_SCHEMA_VERSION" : "INVALID_GRAPH";
    return { diagnostics: [diagnostic(code, migrated.message)] };
  }
  const parsed = canvasGraphSchema.safeParse(migrated.graph);
  if (parsed.success) return { graph: parsed.data, diagnostics: [] };
  return {
    diagnostics: parsed.error.issues
      .slice(0, MAX_SCHEMA_ISSUES)
      .map((i) => diagnostic("INVALID_GRAPH", `${i.path.join(".") || "flow"}: ${i.message}`)),
  };
}

/** Canvas → JSON DAG (SPEC 4.4). Never throws; a DAG is returned only without error diagnostics. */
export function compileFlow(raw: unknown): CompileResult {
  try {
    return compileUnsafe(raw);
  } catch (err) {
    // A compiler bug must still surface as a diagnostic, never as a crash of the designer.
    return { diagnostics: [diagnostic("INVALID_GRAPH", `Internal compiler error: ${String(err)}`)] };
  }
}

function compileUnsafe(raw: unknown): CompileResult {
  const { graph, diagnostics: parseDiagnostics } = parseCanvas(raw);
  if (!graph) return { diagnostics: parseDiagnostics };
  const ds: Diagnostic[] = [];

  const types = new Map<string, NodeType>();
  const seenNodes = new Set<string>();
  for (const n of graph.nodes) {
    if (seenNodes.has(n.id))
      ds.push(diagnostic("DUPLICATE_NODE_ID", `Node id "${n.id}" is used twice.`, { nodeId: n.id }));
    seenNodes.add(n.id);
    const type = getNodeType(n.type);
    if (!type) {
      ds.push(
        diagnostic("UNKNOWN_NODE_TYPE", `Node ${n.id} has the unknown type "${n.type}".`, { nodeId: n.id }),
      );
      continue;
    }
    if (n.typeVersion > type.version) {
      ds.push(
        diagnostic(
          "UNSUPPORTED_TYPE_VERSION",
          `Node ${n.id} needs ${type.label} v${n.typeVersion}; this engine has v${type.version}.`,
          { nodeId: n.id },
        ),
      );
    }
    types.set(n.id, type);
  }

  const starts = graph.nodes.filter((n) => types.get(n.id)?.role === "start");
  if (starts.length === 0)
    ds.push(diagnostic("MISSING_START", "The flow needs one Flow Inputs node to start from."));
  for (const extra of starts.slice(1)) {
    ds.push(
      diagnostic(
        "MULTIPLE_STARTS",
        `Node ${extra.id} is a second Flow Inputs node; a flow has exactly one.`,
        { nodeId: extra.id },
      ),
    );
  }

  const seenEdges = new Set<string>();
  const seenLinks = new Set<string>();
  const edges: Array<{ source: string; sourcePort: string; target: string }> = [];
  for (const e of graph.edges) {
    const at = { edgeId: e.id };
    if (seenEdges.has(e.id)) ds.push(diagnostic("DUPLICATE_EDGE_ID", `Edge id "${e.id}" is used twice.`, at));
    seenEdges.add(e.id);
    if (!seenNodes.has(e.source) || !seenNodes.has(e.target)) {
      const missing = seenNodes.has(e.source) ? e.target : e.source;
      ds.push(
        diagnostic(
          "EDGE_TO_MISSING_NODE",
          `Edge ${e.id} connects to node "${missing}", which does not exist.`,
          at,
        ),
      );
      continue;
    }
    const st = types.get(e.source);
    if (st && !st.ports.includes(e.sourcePort)) {
      const ports = st.ports.length > 0 ? st.ports.join(", ") : "none";
      ds.push(
        diagnostic(
          "UNKNOWN_PORT",
          `Edge ${e.id}: ${st.label} has no "${e.sourcePort}" port (ports: ${ports}).`,
          { ...at, nodeId: e.source },
        ),
      );
      continue;
    }
    if (types.get(e.target)?.role === "start") {
      ds.push(
        diagnostic("EDGE_INTO_START", `Edge ${e.id} leads into Flow Inputs, which has no input.`, {
          ...at,
          nodeId: e.target,
        }),
      );
      continue;
    }
    const link = `${e.source}\u0000${e.sourcePort}\u0000${e.target}`;
    if (seenLinks.has(link)) {
      ds.push(diagnostic("DUPLICATE_EDGE", `Edge ${e.id} repeats a connection that already exists.`, at));
      continue;
    }
    seenLinks.add(link);
    edges.push(e);
  }

  const g = buildGraph([...seenNodes], edges);
  const cycle = findCycle(g);
  if (cycle)
    ds.push(
      diagnostic("CYCLE", `The flow loops: ${cycle.join(" → ")}. Use For Each to repeat steps.`, {
        nodeId: cycle[0] as string,
      }),
    );

  const start = starts[0]?.id;
  const reachable = start === undefined ? new Set<string>() : reachableFrom(g, [start]);
  if (start !== undefined) {
    for (const n of graph.nodes) {
      if (!reachable.has(n.id))
        ds.push(
          diagnostic(
            "UNREACHABLE_NODE",
            `Node ${n.id} (${n.label ?? n.type}) is not connected to the start.`,
            { nodeId: n.id },
          ),
        );
    }
    const ends = graph.nodes.filter((n) => reachable.has(n.id) && types.get(n.id)?.role === "end");
    if (ends.length === 0)
      ds.push(
        diagnostic("MISSING_END", "No End node is reachable, so the flow's outputs are never assigned."),
      );
  }

  for (const n of graph.nodes) {
    if (types.get(n.id)?.role !== "loop") continue;
    const out = (port: string) =>
      edges.filter((e) => e.source === n.id && e.sourcePort === port).map((e) => e.target);
    const body = reachableFrom(g, out("each"));
    const after = reachableFrom(g, out("done"));
    const shared = [...body].filter((id) => after.has(id));
    if (shared.length > 0) {
      ds.push(
        diagnostic(
          "LOOP_BODY_ESCAPES",
          `For Each ${n.id}: ${shared.join(", ")} run both inside the loop and after it.`,
          { nodeId: n.id },
        ),
      );
    }
  }

  const configs = checkConfigs(graph, types, g, ds);

  if (hasErrors(ds) || start === undefined) return { diagnostics: ds, graph };
  const nodes: Record<string, DagNode> = {};
  const nextByNode = new Map<string, Record<string, string[]>>();
  for (const e of edges) {
    const next = nextByNode.get(e.source) ?? {};
    const targets = next[e.sourcePort] ?? [];
    targets.push(e.target);
    next[e.sourcePort] = targets;
    nextByNode.set(e.source, next);
  }
  for (const n of graph.nodes) {
    if (!reachable.has(n.id)) continue;
    const type = types.get(n.id) as NodeType;
    const next = nextByNode.get(n.id) ?? {};
    nodes[n.id] = {
      type: type.id,
      typeVersion: n.typeVersion,
      ...(n.label ? { label: n.label } : {}),
      config: configs.get(n.id) ?? {},
      next,
    };
  }
  const order = topologicalOrder(g).order.filter((id) => reachable.has(id));
  const dag: Dag = {
    dagVersion: DAG_VERSION,
    name: graph.name,
    kind: graph.kind,
    inputs: graph.inputs,
    outputs: graph.outputs,
    start,
    order,
    nodes,
  };
  return { dag, diagnostics: ds, graph };
}

/** Validate each node's config (zod) and its bindings; returns the parsed configs with defaults. */
function checkConfigs(
  graph: CanvasGraph,
  types: ReadonlyMap<string, NodeType>,
  g: ReturnType<typeof buildGraph>,
  ds: Diagnostic[],
): Map<string, Record<string, unknown>> {
  const configs = new Map<string, Record<string, unknown>>();
  for (const n of graph.nodes) {
    const type = types.get(n.id);
    if (!type) continue;
    const parsed = type.configSchema.safeParse(n.config);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path.join(".");
        ds.push(
          diagnostic(
            "INVALID_CONFIG",
            `${type.label} (${n.id}): ${field || "configuration"}: ${issue.message}`,
            { nodeId: n.id, field },
          ),
        );
      }
      continue;
    }
    configs.set(n.id, parsed.data);
  }

  const isUpstream = upstreamIndex(g);
  const inputFields: Record<string, ValueType> = {};
  for (const p of graph.inputs)
    inputFields[p.name] = { type: p.type, ...(p.label ? { label: p.label } : {}) };
  const outputCache = new Map<string, ValueType>();
  const outputsOf = (id: string): ValueType => {
    let v = outputCache.get(id);
    if (v === undefined) {
      const type = types.get(id);
      const cfg = configs.get(id);
      v = type && cfg ? type.outputs(cfg, { flowInputs: graph.inputs }) : t.any();
      outputCache.set(id, v);
    }
    return v;
  };
  const ids = new Set(graph.nodes.map((n) => n.id));
  const setters = graph.nodes.filter((n) => types.get(n.id)?.id === "set_variables");
  const scope: BindingScope = {
    inputsType: t.object(inputFields),
    nodeExists: (id) => ids.has(id),
    isUpstream,
    outputsOf,
    varsFor: (nodeId) => {
      const fields: Record<string, ValueType> = {};
      for (const s of setters) if (isUpstream(s.id, nodeId)) Object.assign(fields, outputsOf(s.id).fields);
      return t.object(fields);
    },
  };
  for (const n of graph.nodes) {
    const type = types.get(n.id);
    const cfg = configs.get(n.id);
    if (type && cfg) ds.push(...checkBindings(n.id, type, cfg, scope));
  }
  return configs;
}

import { buildGraph, closesCycle } from "../graph/graph";
import { getNodeType } from "../registry/registry";
import type { DiagnosticCode } from "./diagnostics";

/** The designer's live checks while a user drags a connection: cheap, no full compile. */
export interface GraphLike {
  nodes: ReadonlyArray<{ id: string; type: string }>;
  edges: ReadonlyArray<{ source: string; sourcePort: string; target: string }>;
}

export interface Connection {
  source: string;
  sourcePort: string;
  target: string;
}

export type ConnectCheck = { ok: true } | { ok: false; code: DiagnosticCode; message: string };

export function wouldCreateCycle(graph: GraphLike, source: string, target: string): boolean {
  return closesCycle(
    buildGraph(
      graph.nodes.map((n) => n.id),
      graph.edges,
    ),
    source,
    target,
  );
}

export function canConnect(graph: GraphLike, c: Connection): ConnectCheck {
  const source = graph.nodes.find((n) => n.id === c.source);
  const target = graph.nodes.find((n) => n.id === c.target);
  if (!source || !target)
    return { ok: false, code: "EDGE_TO_MISSING_NODE", message: "Both ends must be nodes of this flow." };
  const st = getNodeType(source.type);
  if (st && !st.ports.includes(c.sourcePort)) {
    return { ok: false, code: "UNKNOWN_PORT", message: `${st.label} has no "${c.sourcePort}" port.` };
  }
  if (getNodeType(target.type)?.role === "start") {
    return { ok: false, code: "EDGE_INTO_START", message: "Flow Inputs has no input." };
  }
  if (
    graph.edges.some((e) => e.source === c.source && e.sourcePort === c.sourcePort && e.target === c.target)
  ) {
    return { ok: false, code: "DUPLICATE_EDGE", message: "These nodes are already connected this way." };
  }
  if (wouldCreateCycle(graph, c.source, c.target)) {
    return {
      ok: false,
      code: "CYCLE",
      message: "This connection would create a loop; use For Each to repeat steps.",
    };
  }
  return { ok: true };
}

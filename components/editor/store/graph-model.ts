import type { Edge, Node } from "@xyflow/react";
import type { CanvasEdge, CanvasGraph, CanvasNode } from "@/flows";

/**
 * The canvas graph (flows/schema/canvas.ts) as React Flow nodes and edges, and back.
 * A node's data carries only what the saved graph has; decorations (diagnostics, test-run
 * steps, diff marks) live in the store, keyed by node id, so they never rebuild the nodes.
 */
export interface FlowNodeData extends Record<string, unknown> {
  typeId: string;
  typeVersion: number;
  label?: string | undefined;
  config: Record<string, unknown>;
}

export type FlowNode = Node<FlowNodeData, "flow">;
export type FlowEdge = Edge;

/** Flow properties besides nodes and edges. */
export type FlowMeta = Omit<CanvasGraph, "nodes" | "edges">;

export function toFlowNode(n: CanvasNode): FlowNode {
  return {
    id: n.id,
    type: "flow",
    position: { ...n.position },
    data: { typeId: n.type, typeVersion: n.typeVersion, label: n.label, config: n.config },
  };
}

export function toFlowEdge(e: CanvasEdge): FlowEdge {
  return {
    id: e.id,
    source: e.source,
    sourceHandle: e.sourcePort,
    target: e.target,
    ...(e.targetPort ? { targetHandle: e.targetPort } : {}),
    ...edgeLook(e.sourcePort),
  };
}

/** Branch ports are labelled; the error port is red and dashed so failure paths read at a glance. */
export function edgeLook(port: string): Pick<FlowEdge, "label" | "className" | "animated"> {
  if (port === "error") return { label: "error", className: "edge-error" };
  if (port === "next") return {};
  return { label: port, className: "edge-branch" };
}

export function toCanvasNode(n: FlowNode): CanvasNode {
  return {
    id: n.id,
    type: n.data.typeId,
    typeVersion: n.data.typeVersion,
    position: { x: Math.round(n.position.x), y: Math.round(n.position.y) },
    ...(n.data.label ? { label: n.data.label } : {}),
    config: n.data.config,
  };
}

export function toCanvasEdge(e: FlowEdge): CanvasEdge {
  return {
    id: e.id,
    source: e.source,
    sourcePort: e.sourceHandle ?? "next",
    target: e.target,
    ...(e.targetHandle ? { targetPort: e.targetHandle } : {}),
  };
}

export function toGraph(meta: FlowMeta, nodes: readonly FlowNode[], edges: readonly FlowEdge[]): CanvasGraph {
  return { ...meta, nodes: nodes.map(toCanvasNode), edges: edges.map(toCanvasEdge) };
}

export function splitGraph(graph: CanvasGraph): { meta: FlowMeta; nodes: FlowNode[]; edges: FlowEdge[] } {
  const { nodes, edges, ...meta } = graph;
  return { meta, nodes: nodes.map(toFlowNode), edges: edges.map(toFlowEdge) };
}

/** A fresh id like `log_3` that no node of the graph uses (ids appear in pills: keep them readable). */
export function freshId(prefix: string, taken: ReadonlySet<string>): string {
  for (let i = 1; ; i++) {
    const id = `${prefix}_${i}`;
    if (!taken.has(id)) return id;
  }
}

import type { CanvasGraph } from "@/flows";
import type { DiffMark } from "./store/editor-store";

export interface GraphDiff {
  /** The newer graph plus the removed nodes of the older one, so removals show on the canvas. */
  merged: CanvasGraph;
  marks: Record<string, DiffMark>;
  edgesAdded: number;
  edgesRemoved: number;
}

const edgeKey = (e: CanvasGraph["edges"][number]) => `${e.source}:${e.sourcePort}>${e.target}`;

/** What changed between two versions: nodes by id (config, label or type), edges by their ends. */
export function diffGraphs(older: CanvasGraph, newer: CanvasGraph): GraphDiff {
  const before = new Map(older.nodes.map((n) => [n.id, n]));
  const after = new Map(newer.nodes.map((n) => [n.id, n]));
  const marks: Record<string, DiffMark> = {};
  for (const n of newer.nodes) {
    const o = before.get(n.id);
    if (!o) marks[n.id] = "added";
    else if (
      o.type !== n.type ||
      o.label !== n.label ||
      JSON.stringify(o.config) !== JSON.stringify(n.config)
    )
      marks[n.id] = "changed";
  }
  const removed = older.nodes.filter((n) => !after.has(n.id));
  for (const n of removed) marks[n.id] = "removed";
  const oldEdges = new Set(older.edges.map(edgeKey));
  const newEdges = new Set(newer.edges.map(edgeKey));
  const removedEdges = older.edges.filter((e) => !newEdges.has(edgeKey(e)));
  return {
    merged: {
      ...newer,
      nodes: [...newer.nodes, ...removed],
      edges: [...newer.edges, ...removedEdges.map((e) => ({ ...e, id: `removed-${e.id}` }))],
    },
    marks,
    edgesAdded: newer.edges.filter((e) => !oldEdges.has(edgeKey(e))).length,
    edgesRemoved: removedEdges.length,
  };
}

import { getNodeType } from "../registry/registry";
import type { CanvasGraph } from "../schema/canvas";

// How a template looks on the canvas, approximated well enough to check its layout: node boxes
// as the designer draws them (220 px wide, a header, a summary line, one row per output port)
// and edges as the orthogonal "smoothstep" paths React Flow draws between the port handles.

export const NODE_WIDTH = 220;
const BODY = 80; // header + type + summary lines
const PORT_ROW = 20;

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface Point {
  x: number;
  y: number;
}

function portsOf(type: string): readonly string[] {
  return getNodeType(type)?.ports ?? ["next"];
}

export function nodeBox(node: CanvasGraph["nodes"][number]): Box {
  const ports = portsOf(node.type).length;
  return { ...node.position, width: NODE_WIDTH, height: BODY + ports * PORT_ROW + 6 };
}

/** The path of an edge: right of the source port, across at mid-x, into the target's left. */
export function edgePath(graph: CanvasGraph, edge: CanvasGraph["edges"][number]): Point[] {
  const source = graph.nodes.find((n) => n.id === edge.source);
  const target = graph.nodes.find((n) => n.id === edge.target);
  if (!source || !target) throw new Error(`edge ${edge.id} has a missing end`);
  const port = Math.max(0, portsOf(source.type).indexOf(edge.sourcePort));
  const s = {
    x: source.position.x + NODE_WIDTH,
    y: source.position.y + BODY + port * PORT_ROW + PORT_ROW / 2,
  };
  const tb = nodeBox(target);
  const t = { x: tb.x, y: tb.y + tb.height / 2 };
  const mid = (s.x + t.x) / 2;
  return [s, { x: mid, y: s.y }, { x: mid, y: t.y }, t];
}

const segments = (path: Point[]) => path.slice(1).map((p, i) => [path[i] as Point, p] as const);

/** Whether two axis-parallel segments share a point (touching counts). */
function touch(a: readonly [Point, Point], b: readonly [Point, Point]): boolean {
  const [ax1, ax2] = [Math.min(a[0].x, a[1].x), Math.max(a[0].x, a[1].x)];
  const [ay1, ay2] = [Math.min(a[0].y, a[1].y), Math.max(a[0].y, a[1].y)];
  const [bx1, bx2] = [Math.min(b[0].x, b[1].x), Math.max(b[0].x, b[1].x)];
  const [by1, by2] = [Math.min(b[0].y, b[1].y), Math.max(b[0].y, b[1].y)];
  return ax1 <= bx2 && bx1 <= ax2 && ay1 <= by2 && by1 <= ay2;
}

/** Pairs of edges whose paths cross or run over each other (edges sharing a port or target excepted). */
export function crossingEdges(graph: CanvasGraph): Array<[string, string]> {
  const paths = graph.edges.map((e) => ({ e, segs: segments(edgePath(graph, e)) }));
  const found: Array<[string, string]> = [];
  for (let i = 0; i < paths.length; i++)
    for (let j = i + 1; j < paths.length; j++) {
      const a = paths[i];
      const b = paths[j];
      if (!a || !b) continue;
      const sharesSource = a.e.source === b.e.source && a.e.sourcePort === b.e.sourcePort;
      if (sharesSource || a.e.target === b.e.target) continue;
      // Edges out of one node start a port row apart and may share their first run: compare
      // only from where they turn.
      const sameNode = a.e.source === b.e.source;
      const sa = sameNode ? a.segs.slice(1) : a.segs;
      const sb = sameNode ? b.segs.slice(1) : b.segs;
      if (sa.some((x) => sb.some((y) => touch(x, y)))) found.push([a.e.id, b.e.id]);
    }
  return found;
}

/** Edges that pass over a node other than their own two ends. */
export function edgesThroughNodes(graph: CanvasGraph): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  for (const e of graph.edges) {
    const segs = segments(edgePath(graph, e));
    for (const n of graph.nodes) {
      if (n.id === e.source || n.id === e.target) continue;
      const b = nodeBox(n);
      const box = [
        { x: b.x, y: b.y },
        { x: b.x + b.width, y: b.y + b.height },
      ] as const;
      if (segs.some((s) => touch(s, box))) found.push([e.id, n.id]);
    }
  }
  return found;
}

import { describe, expect, it } from "vitest";
import { crossingEdges, edgesThroughNodes, NODE_WIDTH, nodeBox } from "./canvas-geometry";
import { FLOW_TEMPLATES } from "./index";

// Issue 15 part 0: a template reads left to right on open, without crossing edges.
describe.each(FLOW_TEMPLATES.map((t) => [t.id, t.graph] as const))(
  "template %s on the canvas",
  (_id, graph) => {
    it("has every edge going right, with room for its arrow", () => {
      for (const e of graph.edges) {
        const s = graph.nodes.find((n) => n.id === e.source);
        const t = graph.nodes.find((n) => n.id === e.target);
        expect(
          t && s && t.position.x - s.position.x,
          `${e.id}: ${e.source} → ${e.target}`,
        ).toBeGreaterThanOrEqual(NODE_WIDTH + 40);
      }
    });

    it("has no two edges crossing and no edge drawn over a node", () => {
      expect(crossingEdges(graph)).toEqual([]);
      expect(edgesThroughNodes(graph)).toEqual([]);
    });

    it("has no two nodes overlapping", () => {
      const boxes = graph.nodes.map((n) => ({ id: n.id, b: nodeBox(n) }));
      for (const a of boxes)
        for (const b of boxes) {
          if (a.id >= b.id) continue;
          const apart =
            a.b.x + a.b.width <= b.b.x ||
            b.b.x + b.b.width <= a.b.x ||
            a.b.y + a.b.height <= b.b.y ||
            b.b.y + b.b.height <= a.b.y;
          expect(apart, `${a.id} overlaps ${b.id}`).toBe(true);
        }
    });

    it("starts at the trigger, leftmost", () => {
      const start = graph.nodes.find((n) => n.type === "flow_inputs");
      expect(start).toBeDefined();
      for (const n of graph.nodes) expect(n.position.x).toBeGreaterThanOrEqual(start?.position.x ?? 0);
    });
  },
);

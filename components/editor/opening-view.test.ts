import { describe, expect, it } from "vitest";
import { nodeBox } from "@/flows/templates/canvas-geometry";
import { inboundBasic } from "@/flows/templates/inbound-basic/flow";
import { openingViewport, READABLE_ZOOM } from "./opening-view";

const screen = { width: 660, height: 760 }; // the designer's canvas at 1280×800, between its panels
const box = (x: number, y: number) => ({ x, y, width: 220, height: 100 });

describe("the view a flow opens on", () => {
  it("fits a small flow whole, never above 110 %", () => {
    const v = openingViewport([box(0, 0), box(300, 0)], box(0, 0), screen);
    expect(v.fitted).toBe(true);
    expect(v.zoom).toBeLessThanOrEqual(1.1);
    expect(v.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
  });

  it("opens the 20-node inbound template readable, its trigger on screen at the left", () => {
    const rects = inboundBasic.nodes.map(nodeBox);
    const start = inboundBasic.nodes.find((n) => n.type === "flow_inputs");
    const trigger = start && nodeBox(start);
    const v = openingViewport(rects, trigger, screen);
    expect(v.fitted).toBe(false);
    expect(13 * v.zoom).toBeGreaterThanOrEqual(12);
    // The trigger lies fully on screen.
    const left = (trigger?.x ?? 0) * v.zoom + v.x;
    const top = (trigger?.y ?? 0) * v.zoom + v.y;
    expect(left).toBeGreaterThanOrEqual(0);
    expect(left + 220 * v.zoom).toBeLessThanOrEqual(screen.width);
    expect(top).toBeGreaterThanOrEqual(0);
    expect(top + (trigger?.height ?? 0) * v.zoom).toBeLessThanOrEqual(screen.height);
    // …vertically centred on it.
    expect(top + ((trigger?.height ?? 0) * v.zoom) / 2).toBeCloseTo(screen.height / 2);
  });
});

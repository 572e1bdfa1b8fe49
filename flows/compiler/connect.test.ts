import { describe, expect, it } from "vitest";
import { canConnect, wouldCreateCycle } from "./connect";

//   start → a → b
const graph = {
  nodes: [
    { id: "start", type: "flow_inputs" },
    { id: "a", type: "if" },
    { id: "b", type: "log" },
  ],
  edges: [
    { source: "start", sourcePort: "next", target: "a" },
    { source: "a", sourcePort: "true", target: "b" },
  ],
};

describe("live connection checks", () => {
  it("detects a would-be cycle cheaply", () => {
    expect(wouldCreateCycle(graph, "b", "a")).toBe(true);
    expect(wouldCreateCycle(graph, "b", "b")).toBe(true);
    expect(wouldCreateCycle(graph, "start", "b")).toBe(false);
  });

  it("accepts a good connection and explains a bad one with a catalogue code", () => {
    expect(canConnect(graph, { source: "a", sourcePort: "false", target: "b" })).toEqual({ ok: true });
    expect(canConnect(graph, { source: "a", sourcePort: "next", target: "b" })).toMatchObject({
      code: "UNKNOWN_PORT",
    });
    expect(canConnect(graph, { source: "b", sourcePort: "next", target: "start" })).toMatchObject({
      code: "EDGE_INTO_START",
    });
    expect(canConnect(graph, { source: "a", sourcePort: "true", target: "b" })).toMatchObject({
      code: "DUPLICATE_EDGE",
    });
    expect(canConnect(graph, { source: "b", sourcePort: "next", target: "a" })).toMatchObject({
      code: "CYCLE",
    });
    expect(canConnect(graph, { source: "x", sourcePort: "next", target: "a" })).toMatchObject({
      code: "EDGE_TO_MISSING_NODE",
    });
  });
});

import { describe, expect, it } from "vitest";
import {
  ancestors,
  buildGraph,
  children,
  closesCycle,
  findCycle,
  parents,
  topologicalOrder,
  upstreamIndex,
} from "./graph";

//   a → b → d
//   a → c → d
const diamond = buildGraph(
  ["a", "b", "c", "d"],
  [
    { source: "a", target: "b" },
    { source: "a", target: "c" },
    { source: "b", target: "d" },
    { source: "c", target: "d" },
  ],
);

describe("graph helper", () => {
  it("parents, children, ancestors", () => {
    expect(children(diamond, "a")).toEqual(["b", "c"]);
    expect(parents(diamond, "d")).toEqual(["b", "c"]);
    expect([...ancestors(diamond, "d")].sort()).toEqual(["a", "b", "c"]);
  });

  it("topological order puts parents first", () => {
    const { order, cyclic } = topologicalOrder(diamond);
    expect(order[0]).toBe("a");
    expect(order[3]).toBe("d");
    expect(cyclic).toEqual([]);
  });

  it("finds a cycle and knows which edge would close one", () => {
    //   x → y → z → x
    const loop = buildGraph(
      ["x", "y", "z"],
      [
        { source: "x", target: "y" },
        { source: "y", target: "z" },
        { source: "z", target: "x" },
      ],
    );
    expect(findCycle(loop)).toEqual(["x", "y", "z", "x"]);
    expect(findCycle(diamond)).toBeNull();
    expect(closesCycle(diamond, "d", "a")).toBe(true);
    expect(closesCycle(diamond, "b", "c")).toBe(false);
  });

  it("answers upstream queries from one bitset pass", () => {
    const up = upstreamIndex(diamond);
    expect(up("a", "d")).toBe(true);
    expect(up("b", "c")).toBe(false);
    expect(up("d", "a")).toBe(false);
    expect(up("d", "d")).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { expression, literal, pill } from "../schema/binding";
import { flow } from "../testing/builders";
import { compileFlow } from "./compile";
import { DIAGNOSTIC_CATALOGUE, type DiagnosticCode } from "./diagnostics";

/** A tiny valid flow to break in one way per fixture:   start → log → end */
const base = () =>
  flow()
    .input("msg", "string")
    .start()
    .node("log", "log", { message: pill("inputs.msg") })
    .node("end", "end")
    .chain("start", "log", "end");

const fixtures: Record<DiagnosticCode, () => unknown> = {
  INVALID_GRAPH: () => "not even an object",
  UNSUPPORTED_SCHEMA_VERSION: () => ({ ...base().build(), schemaVersion: 99 }),
  DUPLICATE_NODE_ID: () =>
    base()
      .node("log", "log", { message: literal("x") })
      .build(),
  DUPLICATE_EDGE_ID: () => {
    const g = base().build();
    g.edges.push({ ...(g.edges[0] as (typeof g.edges)[number]), target: "end" });
    return g;
  },
  MISSING_START: () => flow().node("end", "end").build(),
  MULTIPLE_STARTS: () => base().start("start2").edge("start2", "end").build(),
  UNKNOWN_NODE_TYPE: () => base().node("x", "teleport").edge("log", "x").build(),
  UNSUPPORTED_TYPE_VERSION: () =>
    base()
      .node("x", "log", { message: literal("x") }, 9)
      .edge("log", "x")
      .build(),
  EDGE_TO_MISSING_NODE: () => base().edge("log", "ghost").build(),
  UNKNOWN_PORT: () => base().node("x", "end").edge("log", "x", "sideways").build(),
  EDGE_INTO_START: () => base().edge("log", "start").build(),
  DUPLICATE_EDGE: () => base().edge("log", "end").build(),
  CYCLE: () =>
    base()
      .node("a", "log", { message: literal("a") })
      .edge("log", "a")
      .edge("a", "log")
      .build(),
  UNREACHABLE_NODE: () =>
    base()
      .node("island", "log", { message: literal("x") })
      .build(),
  MISSING_END: () =>
    flow()
      .start()
      .node("log", "log", { message: literal("x") })
      .chain("start", "log")
      .build(),
  LOOP_BODY_ESCAPES: () =>
    flow()
      .start()
      .node("loop", "for_each", { items: literal([1]) })
      .node("end", "end")
      .chain("start", "loop")
      .edge("loop", "end", "each")
      .edge("loop", "end", "done")
      .build(),
  INVALID_CONFIG: () =>
    base()
      .node("x", "log", { message: literal("m"), level: "loud" })
      .edge("log", "x")
      .build(),
  REQUIRED_INPUT_EMPTY: () =>
    base()
      .node("x", "log", { message: literal("  ") })
      .edge("log", "x")
      .build(),
  PILL_FORBIDDEN_SEGMENT: () =>
    base()
      .node("x", "log", { message: pill("inputs.__proto__.polluted") })
      .edge("log", "x")
      .build(),
  PILL_UNKNOWN_ROOT: () =>
    base()
      .node("x", "log", { message: pill("process.env") })
      .edge("log", "x")
      .build(),
  PILL_UNKNOWN_NODE: () =>
    base()
      .node("x", "log", { message: pill("steps.ghost.message") })
      .edge("log", "x")
      .build(),
  PILL_NOT_UPSTREAM: () =>
    base()
      .node("x", "log", { message: pill("steps.y.message") })
      .node("y", "log", { message: literal("y") })
      .edge("log", "x")
      .edge("log", "y")
      .build(),
  PILL_UNKNOWN_OUTPUT: () =>
    base()
      .node("x", "log", { message: pill("steps.log.nonsense") })
      .edge("log", "x")
      .build(),
  TYPE_MISMATCH: () =>
    base()
      .node("x", "log", { message: pill("steps.log.message.deeper") })
      .edge("log", "x")
      .build(),
  EXPRESSION_SYNTAX: () =>
    base()
      .node("x", "log", { message: expression("1 +* 2") })
      .edge("log", "x")
      .build(),
  EXPRESSION_FORBIDDEN: () =>
    base()
      .node("x", "log", { message: expression('$eval("1")') })
      .edge("log", "x")
      .build(),
  EXPRESSION_REGEX_UNSUPPORTED: () =>
    base()
      .node("x", "log", { message: expression('$contains("ab", /a(?=b)/)') })
      .edge("log", "x")
      .build(),
  EXPRESSION_TOO_LONG: () =>
    base()
      .node("x", "log", { message: expression(`"${"a".repeat(5000)}"`) })
      .edge("log", "x")
      .build(),
};

describe("compiler diagnostics: one fixture per catalogue code", () => {
  it("the catalogue and the fixtures cover the same codes", () => {
    expect(Object.keys(fixtures).sort()).toEqual(Object.keys(DIAGNOSTIC_CATALOGUE).sort());
  });

  for (const [code, make] of Object.entries(fixtures)) {
    it(code, () => {
      const { dag, diagnostics } = compileFlow(make());
      const found = diagnostics.find((d) => d.code === code);
      expect(found, JSON.stringify(diagnostics)).toBeDefined();
      expect(found?.severity).toBe(DIAGNOSTIC_CATALOGUE[code as DiagnosticCode].severity);
      expect(found?.message.length).toBeGreaterThan(10);
      if (found?.severity === "error") expect(dag).toBeUndefined();
    });
  }

  it("the base fixture compiles clean into a DAG", () => {
    const { dag, diagnostics } = compileFlow(base().build());
    expect(diagnostics).toEqual([]);
    expect(dag).toMatchObject({ dagVersion: 1, start: "start", order: ["start", "log", "end"] });
    expect(dag?.nodes.log?.config).toMatchObject({ level: "info" });
    expect(dag?.nodes.log?.next).toEqual({ next: ["end"] });
  });

  it("never throws, whatever it is given", () => {
    for (const junk of [
      null,
      undefined,
      42,
      [],
      { nodes: "x" },
      { schemaVersion: 2, nodes: [{}], edges: null },
    ]) {
      expect(() => compileFlow(junk)).not.toThrow();
      expect(compileFlow(junk).diagnostics.length).toBeGreaterThan(0);
    }
  });

  it("invalid configuration names the field", () => {
    const { diagnostics } = compileFlow(fixtures.INVALID_CONFIG());
    expect(diagnostics.find((d) => d.code === "INVALID_CONFIG")).toMatchObject({
      nodeId: "x",
      field: "level",
    });
  });
});

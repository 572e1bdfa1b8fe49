import { describe, expect, it } from "vitest";
import { compileFlow } from "../compiler/compile";
import { isEmptyBinding, literal, pill } from "./binding";
import { canvasGraphSchema } from "./canvas";
import { migrateCanvas } from "./migrate";
import { inferValueType, t, typeAtPath } from "./value-type";

/** A graph as v1 saved it: `settings`, `version`, `sourceHandle`. */
const v1 = {
  schemaVersion: 1,
  name: "old flow",
  kind: "subflow",
  nodes: [
    { id: "start", type: "flow_inputs", version: 1, position: { x: 0, y: 0 }, settings: {} },
    {
      id: "log",
      type: "log",
      version: 1,
      position: { x: 1, y: 0 },
      settings: { message: { kind: "literal", value: "hi" } },
    },
  ],
  edges: [{ id: "e1", source: "start", sourceHandle: "next", target: "log", targetHandle: "in" }],
};

describe("saved graph migration", () => {
  it("v1 → v2 renames settings/version/sourceHandle and then validates", () => {
    const m = migrateCanvas(v1);
    expect(m).toMatchObject({ ok: true, from: 1, to: 2 });
    const g = canvasGraphSchema.parse(m.ok ? m.graph : null);
    expect(g.nodes[1]).toMatchObject({
      typeVersion: 1,
      config: { message: { kind: "literal", value: "hi" } },
    });
    expect(g.edges[0]).toMatchObject({ sourcePort: "next", targetPort: "in" });
  });

  it("a v1 graph compiles after migration", () => {
    const { dag, diagnostics } = compileFlow(v1);
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(dag?.order).toEqual(["start", "log"]);
  });

  it("refuses the future and non-objects without throwing", () => {
    expect(migrateCanvas({ schemaVersion: 3 })).toMatchObject({ ok: false });
    expect(migrateCanvas("x")).toMatchObject({ ok: false });
  });
});

describe("bindings and value types", () => {
  it("recognises empty bindings", () => {
    expect(isEmptyBinding(literal(" "))).toBe(true);
    expect(isEmptyBinding(literal(0))).toBe(false);
    expect(isEmptyBinding(pill("inputs.x"))).toBe(false);
  });

  it("walks type descriptors: open objects and any accept, closed objects and primitives refuse", () => {
    const type = t.object({ a: t.string(), o: t.object({}, { open: true }), l: t.array(t.number()) });
    expect(typeAtPath(type, ["a"])).toMatchObject({ ok: true, type: { type: "string" } });
    expect(typeAtPath(type, ["o", "x", "y"])).toMatchObject({ ok: true });
    expect(typeAtPath(type, ["l", "0"])).toMatchObject({ ok: true, type: { type: "number" } });
    expect(typeAtPath(type, ["b"])).toMatchObject({ ok: false, reason: "unknown", at: 0 });
    expect(typeAtPath(type, ["a", "b"])).toMatchObject({ ok: false, reason: "mismatch", found: "string" });
  });

  it("infers a descriptor from a sample", () => {
    expect(inferValueType({ n: 1, s: "x", l: [{ b: true }] })).toMatchObject({
      type: "object",
      fields: {
        n: { type: "number" },
        s: { type: "string" },
        l: { type: "array", items: { fields: { b: { type: "boolean" } } } },
      },
    });
  });
});

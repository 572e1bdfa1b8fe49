import { compileFlow } from "../compiler/compile";
import type { Diagnostic } from "../compiler/diagnostics";
import type { CanvasGraph, FlowKind } from "../schema/canvas";
import { CANVAS_SCHEMA_VERSION } from "../schema/canvas";
import type { Dag } from "../schema/dag";
import type { ValueKind } from "../schema/value-type";

/**
 * Tiny builders for engine tests: `flow().input("x").node("a", "log", {...}).chain("start", "a")`.
 * Positions are laid out left to right so an exported graph opens readably in the designer.
 */
export class FlowBuilder {
  private readonly graph: CanvasGraph;

  constructor(name: string, kind: FlowKind) {
    this.graph = {
      schemaVersion: CANVAS_SCHEMA_VERSION,
      name,
      description: "",
      kind,
      inputs: [],
      outputs: [],
      nodes: [],
      edges: [],
    };
  }

  input(name: string, type: ValueKind = "any"): this {
    this.graph.inputs.push({ name, type });
    return this;
  }

  output(name: string, type: ValueKind = "any"): this {
    this.graph.outputs.push({ name, type });
    return this;
  }

  node(id: string, type: string, config: Record<string, unknown> = {}, typeVersion = 1): this {
    const x = this.graph.nodes.length * 220;
    this.graph.nodes.push({ id, type, typeVersion, position: { x, y: 0 }, config });
    return this;
  }

  /** Shorthand for the start node. */
  start(id = "start"): this {
    return this.node(id, "flow_inputs");
  }

  edge(source: string, target: string, sourcePort = "next"): this {
    this.graph.edges.push({ id: `e${this.graph.edges.length + 1}`, source, sourcePort, target });
    return this;
  }

  /** Connect each node to the next through `next`. */
  chain(...ids: string[]): this {
    for (let i = 1; i < ids.length; i++) this.edge(ids[i - 1] as string, ids[i] as string);
    return this;
  }

  build(): CanvasGraph {
    return structuredClone(this.graph);
  }

  /** Compile, failing loudly with every error diagnostic: tests want a DAG or a reason. */
  compile(): Dag {
    const { dag, diagnostics } = compileFlow(this.graph);
    if (!dag) throw new Error(`flow did not compile:\n${formatDiagnostics(diagnostics)}`);
    return dag;
  }
}

export const flow = (name = "test flow", kind: FlowKind = "subflow") => new FlowBuilder(name, kind);

export const formatDiagnostics = (ds: readonly Diagnostic[]) =>
  ds.map((d) => `${d.severity} ${d.code}: ${d.message}`).join("\n");

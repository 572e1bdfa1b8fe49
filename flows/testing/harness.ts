import type { StepRecord } from "../interpreter/journal";
import type { RunOptions } from "../interpreter/options";
import { runFlow } from "../interpreter/run";
import type { ValueKind } from "../schema/value-type";
import { flow } from "./builders";
import { createMemoryPorts, type MemoryPorts } from "./memory-ports";

/**
 * Run one node the way a flow would (compile, resolve bindings, journal) and return its step:
 *
 *   start → node
 */
export async function runNode(
  type: string,
  config: Record<string, unknown>,
  opts: { inputs?: Record<string, unknown>; ports?: MemoryPorts; run?: Partial<RunOptions> } = {},
): Promise<{ step: StepRecord; ports: MemoryPorts; vars?: unknown }> {
  const ports = opts.ports ?? createMemoryPorts();
  const inputs = opts.inputs ?? {};
  const b = flow(`one ${type}`).start().node("node", type, config).chain("start", "node");
  for (const [name, v] of Object.entries(inputs)) b.input(name, kindOf(v));
  const result = await runFlow(b.compile(), inputs, { ports, runKey: "row-1", ...opts.run });
  const step = result.steps.find((s) => s.nodeId === "node");
  if (!step) throw new Error(`node did not run: ${result.error?.message ?? result.status}`);
  return { step, ports };
}

function kindOf(v: unknown): ValueKind {
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return typeof v as ValueKind;
  if (Array.isArray(v)) return "array";
  return v !== null && typeof v === "object" ? "object" : "any";
}

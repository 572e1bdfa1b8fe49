import type { StepRecord } from "../../flows";
import {
  isCompactSummary,
  isPackedSummary,
  type SummaryContext,
  unpackCompact,
  unpackSummary,
} from "./journal-sampling";

// A run's steps repeat the flow's payload (Send's inputs, for one, are the payload itself).
// Stored once per execution and referenced from the steps, the journal shrinks to a fraction
// (measured: persisting executions cost a third of the sync throughput before this).
const PAYLOAD_REF = "$ref:inputs.payload";

function payloadOf(inputs: unknown): unknown {
  return inputs !== null && typeof inputs === "object" && "payload" in inputs ? inputs.payload : undefined;
}

/**
 * The steps as JSON, with the run's payload object written as a reference to inputs.payload
 * where a step's inputs or outputs hold it directly (a pill to the payload hands over the same
 * object). Native JSON.stringify with a shallow substitution: a replacer function would cost
 * more than it saves.
 */
export function packSteps(steps: StepRecord[], inputs: unknown): string {
  const payload = payloadOf(inputs);
  if (payload === null || typeof payload !== "object") return JSON.stringify(steps);
  const swap = (value: unknown): unknown => {
    if (value === payload) return PAYLOAD_REF;
    if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
    let copy: Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(value)) {
      if (v === payload) {
        copy ??= { ...(value as Record<string, unknown>) };
        copy[k] = PAYLOAD_REF;
      }
    }
    return copy ?? value;
  };
  return JSON.stringify(
    steps.map((step) => ({ ...step, inputs: swap(step.inputs), outputs: swap(step.outputs) })),
  );
}

/**
 * The steps back from JSON: a whole journal, references to the payload resolved against the
 * run's inputs, or a summary (journal-sampling.ts): compact (its start, node types and node order
 * from `context`, the execution row and its version), in packed rows, or as written before them.
 */
export function unpackSteps(
  text: string | null,
  inputs: unknown,
  context: SummaryContext = { startedAt: 0, types: new Map(), nodes: [] },
): StepRecord[] {
  if (!text) return [];
  if (isCompactSummary(text)) return unpackCompact(text, context);
  if (text.startsWith("{")) {
    const parsed: unknown = JSON.parse(text);
    if (isPackedSummary(parsed)) return unpackSummary(parsed);
  }
  const payload = payloadOf(inputs);
  return JSON.parse(text, (_key, value) => (value === PAYLOAD_REF ? payload : value)) as StepRecord[];
}

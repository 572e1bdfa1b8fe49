import type { StepRecord } from "../../flows";
import type { Dialect } from "../storage";
import { deflateWith, dictionary, inflateWith } from "../util/dictionary-deflate";
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

/**
 * A whole journal's columns (steps, inputs, outputs) as stored: JSON text, or on SQLite the text
 * deflated. The runs that keep their whole journal (failed ones, a sample of the rest) were ~11 KB
 * each on a receiver, ~150 bytes per synced record at one in a hundred (issue 14); deflated they
 * are a fraction of that, for a cost paid by those runs only.
 */
export type StoredJournal = string | Uint8Array;

// The journal's own key names and the values every step repeats; commonest last.
const JOURNAL_DICTIONARY = dictionary(1, [
  '"sys_id":"',
  '"display_value":"',
  '"changed_fields":[{"key":"',
  '"capture_metadata":{',
  '"remote_correlation_id":"',
  '"local_correlation_id":"',
  '"operation":"create"',
  '"payload":"$ref:inputs.payload"',
  ',"port":"next"}',
  ',"iteration":"',
  ',"error":',
  ',"startedAt":',
  ',"durationMs":',
  ',"outputs":',
  ',"status":"completed","inputs":',
  '[{"nodeId":"',
  '},{"nodeId":"',
  '","type":"',
]);
const JOURNALS = [JOURNAL_DICTIONARY];
const SMALL = 200; // shorter texts gain too little to be worth the bytes' opacity

/** A journal column's text as this dialect stores it. */
export function storeJournal(text: string, dialect: Dialect): StoredJournal {
  return dialect === "sqlite" && text.length > SMALL ? deflateWith(JOURNAL_DICTIONARY, text) : text;
}

/** A stored journal column back as its JSON text. */
export function journalText(stored: StoredJournal): string {
  return typeof stored === "string" ? stored : inflateWith(JOURNALS, stored);
}

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
  stored: StoredJournal | null,
  inputs: unknown,
  context: SummaryContext = { startedAt: 0, types: new Map(), nodes: [] },
): StepRecord[] {
  if (!stored || stored.length === 0) return [];
  const text = journalText(stored);
  if (isCompactSummary(text)) return unpackCompact(text, context);
  if (text.startsWith("{")) {
    const parsed: unknown = JSON.parse(text);
    if (isPackedSummary(parsed)) return unpackSummary(parsed);
  }
  const payload = payloadOf(inputs);
  return JSON.parse(text, (_key, value) => (value === PAYLOAD_REF ? payload : value)) as StepRecord[];
}

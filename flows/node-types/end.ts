import { z } from "zod";
import { defineNodeType } from "../registry/types";
import { bindingSchema } from "../schema/binding";
import { t, type ValueType } from "../schema/value-type";

const configSchema = z.object({
  /** Flow output name → value. */
  values: z.record(z.string(), bindingSchema).default({}),
});

/** Assigns the flow's outputs and ends the run. */
export const end = defineNodeType({
  id: "end",
  version: 1,
  label: "End",
  group: "Logic",
  description: "Ends the flow and assigns its outputs.",
  ports: [],
  configSchema,
  inputs: {},
  outputs: (c) => {
    const fields: Record<string, ValueType> = {};
    for (const k of Object.keys(c.values)) fields[k] = t.any(k);
    return t.object(fields);
  },
  sideEffects: false,
  role: "end",
  execute: (_ctx, c) => ({ outputs: c.values }),
});

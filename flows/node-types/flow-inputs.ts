import { z } from "zod";
import { defineNodeType } from "../registry/types";
import { t, type ValueType } from "../schema/value-type";

/** The single start of every flow; its outputs are the flow's inputs. */
export const flowInputs = defineNodeType({
  id: "flow_inputs",
  version: 1,
  label: "Flow Inputs",
  group: "Start",
  description: "Where the flow starts. Offers the flow's inputs as data pills.",
  ports: ["next"],
  configSchema: z.object({}),
  inputs: {},
  outputs: (_config, ctx) => {
    const fields: Record<string, ValueType> = {};
    for (const p of ctx.flowInputs) fields[p.name] = { type: p.type, ...(p.label ? { label: p.label } : {}) };
    return t.object(fields);
  },
  sideEffects: false,
  role: "start",
  execute: (ctx) => ({ outputs: ctx.flowInputs }),
});

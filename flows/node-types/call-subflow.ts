import { z } from "zod";
import { defineNodeType } from "../registry/types";
import { bindingSchema } from "../schema/binding";
import { t } from "../schema/value-type";

const configSchema = z.object({
  flow: z.string().min(1, "choose a subflow"),
  /** Subflow input name → value. */
  inputs: z.record(z.string(), bindingSchema).default({}),
});

export const callSubflow = defineNodeType({
  id: "call_subflow",
  version: 1,
  label: "Call Subflow",
  group: "Operations",
  description: "Runs a published subflow with inputs and offers its outputs.",
  ports: ["next"],
  configSchema,
  inputs: {},
  outputs: () => t.object({ outputs: t.object({}, { open: true, label: "Subflow outputs" }) }),
  // The subflow may write; its own steps derive their keys from this one.
  sideEffects: true,
  async execute(ctx, c) {
    const outputs = await ctx.ports.subflows.call(c.flow, c.inputs, {
      idempotencyKey: ctx.idempotencyKey,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    return { outputs: { outputs } };
  },
});

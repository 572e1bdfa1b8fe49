import { z } from "zod";
import { defineNodeType } from "../registry/types";
import { bindingSchema } from "../schema/binding";
import { t, type ValueType } from "../schema/value-type";

const configSchema = z.object({
  assignments: z
    .array(
      z.object({
        name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an identifier"),
        value: bindingSchema,
      }),
    )
    .default([]),
});

/** Writes flow variables, read back with pills `vars.<name>`. */
export const setVariables = defineNodeType({
  id: "set_variables",
  version: 1,
  label: "Set Variables",
  group: "Logic",
  description: "Sets flow variables that later steps read as vars.<name>.",
  ports: ["next"],
  configSchema,
  inputs: {},
  outputs: (c) => {
    const fields: Record<string, ValueType> = {};
    for (const a of c.assignments) fields[a.name] = t.any(a.name);
    return t.object(fields);
  },
  sideEffects: false,
  execute(ctx, c) {
    const outputs: Record<string, unknown> = {};
    for (const a of c.assignments) {
      ctx.vars[a.name] = a.value;
      outputs[a.name] = a.value;
    }
    return { outputs };
  },
});

import { z } from "zod";
import { optObj, str } from "../registry/coerce";
import { defineNodeType } from "../registry/types";
import { bindingSchema, optionalBinding } from "../schema/binding";
import { t } from "../schema/value-type";

const configSchema = z.object({
  level: z.enum(["debug", "info", "warn", "error"]).default("info"),
  message: bindingSchema,
  data: optionalBinding(),
});

export const log = defineNodeType({
  id: "log",
  version: 1,
  label: "Log",
  group: "Operations",
  description: "Writes a structured log line.",
  ports: ["next"],
  configSchema,
  inputs: {
    message: { type: "string", label: "Message", required: true },
    data: { type: "object", label: "Data" },
  },
  outputs: () => t.object({ message: t.string("Message") }),
  // A repeated log line is harmless, so no idempotency key is needed.
  sideEffects: false,
  async execute(ctx, c) {
    const message = str(c.message, "message");
    const data = optObj(c.data, "data");
    await ctx.ports.log.write(c.level, message, { ...data, nodeId: ctx.nodeId, runKey: ctx.runKey });
    return { outputs: { message } };
  },
});

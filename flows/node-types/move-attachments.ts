import { z } from "zod";
import { str } from "../registry/coerce";
import { defineNodeType } from "../registry/types";
import { bindingSchema } from "../schema/binding";
import { t } from "../schema/value-type";

const configSchema = z.object({
  remoteSystem: bindingSchema,
  correlationId: bindingSchema,
  table: bindingSchema,
  sysId: bindingSchema,
});

export const moveAttachments = defineNodeType({
  id: "move_attachments",
  version: 1,
  label: "Move Attachments",
  group: "Sync",
  description: "Moves files received for a correlation from staging to the target record.",
  ports: ["next"],
  configSchema,
  inputs: {
    remoteSystem: { type: "string", label: "Remote system", required: true },
    correlationId: { type: "string", label: "Local correlation id", required: true },
    table: { type: "string", label: "Table", required: true },
    sysId: { type: "string", label: "Record sys_id", required: true },
  },
  outputs: () => t.object({ moved: t.number("Moved") }),
  sideEffects: true,
  async execute(ctx, c) {
    const result = await ctx.ports.attachments.move(
      str(c.remoteSystem, "remoteSystem"),
      str(c.correlationId, "correlationId"),
      { table: str(c.table, "table"), sysId: str(c.sysId, "sysId") },
    );
    return { outputs: { moved: result.moved } };
  },
});

import { z } from "zod";
import { str } from "../registry/coerce";
import { defineNodeType } from "../registry/types";
import { bindingSchema } from "../schema/binding";
import { t } from "../schema/value-type";
import { toAttachments } from "./shared";

const configSchema = z.object({
  remoteSystem: bindingSchema,
  table: bindingSchema,
  sysId: bindingSchema,
  attachments: bindingSchema,
});

export const requestAttachments = defineNodeType({
  id: "request_attachments",
  version: 1,
  label: "Request Attachments",
  group: "Sync",
  description: "Asks the sender for the content of attachments by their synthetic keys.",
  ports: ["next"],
  configSchema,
  inputs: {
    remoteSystem: { type: "string", label: "Remote system", required: true },
    table: { type: "string", label: "Table", required: true },
    sysId: { type: "string", label: "Record sys_id", required: true },
    attachments: { type: "array", label: "Attachments to request", required: true },
  },
  outputs: () => t.object({ requested: t.number("Requested") }),
  sideEffects: true,
  async execute(ctx, c) {
    const attachments = toAttachments(c.attachments, "attachments");
    if (attachments.length === 0) return { outputs: { requested: 0 } };
    const result = await ctx.ports.attachments.request(
      str(c.remoteSystem, "remoteSystem"),
      attachments,
      { table: str(c.table, "table"), sysId: str(c.sysId, "sysId") },
      ctx.idempotencyKey,
    );
    return { outputs: { requested: result.requested } };
  },
});

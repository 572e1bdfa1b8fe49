import { z } from "zod";
import { str } from "../registry/coerce";
import { defineNodeType } from "../registry/types";
import { bindingSchema } from "../schema/binding";
import { t } from "../schema/value-type";
import { attachmentListType, toAttachments } from "./shared";

const configSchema = z.object({
  table: bindingSchema,
  sysId: bindingSchema,
  attachments: bindingSchema,
});

export const identifyNewAttachments = defineNodeType({
  id: "identify_new_attachments",
  version: 1,
  label: "Identify New Attachments",
  group: "Sync",
  description: "Keeps the incoming attachments whose (hash, file name) the record does not have yet.",
  ports: ["next"],
  configSchema,
  inputs: {
    table: { type: "string", label: "Table", required: true },
    sysId: { type: "string", label: "Record sys_id", required: true },
    attachments: { type: "array", label: "Incoming attachments", required: true },
  },
  outputs: () => t.object({ attachments: attachmentListType, count: t.number("Count") }),
  sideEffects: false,
  async execute(ctx, c) {
    const incoming = toAttachments(c.attachments, "attachments");
    const fresh = await ctx.ports.attachments.identifyNew(
      { table: str(c.table, "table"), sysId: str(c.sysId, "sysId") },
      incoming,
    );
    return { outputs: { attachments: fresh, count: fresh.length } };
  },
});

import { z } from "zod";
import { optStr, str } from "../registry/coerce";
import { defineNodeType } from "../registry/types";
import { bindingSchema, optionalBinding } from "../schema/binding";
import { t } from "../schema/value-type";
import { attachmentListType } from "./shared";

const configSchema = z.object({
  table: bindingSchema,
  sysId: bindingSchema,
  /** `deltas`: only attachments not yet sent to the remote; the first sync sends all. */
  mode: z.enum(["all", "deltas"]).default("deltas"),
  remoteSystem: optionalBinding(),
});

export const getAttachmentMetadata = defineNodeType({
  id: "get_attachment_metadata",
  version: 1,
  label: "Get Attachment Metadata",
  group: "Sync",
  description: "Lists a record's attachments (all, or the changes since the last sync) as metadata.",
  ports: ["next"],
  configSchema,
  inputs: {
    table: { type: "string", label: "Table", required: true },
    sysId: { type: "string", label: "Record sys_id", required: true },
    remoteSystem: { type: "string", label: "Remote system" },
  },
  requiredInputs: (c) => (c.mode === "deltas" ? ["remoteSystem"] : []),
  outputs: () => t.object({ attachments: attachmentListType, count: t.number("Count") }),
  sideEffects: false,
  async execute(ctx, c) {
    const list = await ctx.ports.attachments.list(
      { table: str(c.table, "table"), sysId: str(c.sysId, "sysId") },
      c.mode,
      optStr(c.remoteSystem, "remoteSystem"),
    );
    return { outputs: { attachments: list, count: list.length } };
  },
});

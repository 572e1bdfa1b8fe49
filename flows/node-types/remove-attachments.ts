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

/** Reflects deletions: removes the record's copies of attachments the sender deleted. */
export const removeAttachments = defineNodeType({
  id: "remove_attachments",
  version: 1,
  label: "Remove Deleted Attachments",
  group: "Sync",
  description: "Removes the record's attachments that the sender marked deleted (same hash and file name).",
  ports: ["next"],
  configSchema,
  inputs: {
    remoteSystem: { type: "string", label: "Remote system", required: true },
    table: { type: "string", label: "Table", required: true },
    sysId: { type: "string", label: "Record sys_id", required: true },
    attachments: { type: "array", label: "Incoming attachments", required: true },
  },
  outputs: () => t.object({ removed: t.number("Removed") }),
  sideEffects: true,
  async execute(ctx, c) {
    const deleted = toAttachments(c.attachments, "attachments").filter((a) => a.deleted === true);
    if (deleted.length === 0) return { outputs: { removed: 0 } };
    const result = await ctx.ports.attachments.remove(
      str(c.remoteSystem, "remoteSystem"),
      { table: str(c.table, "table"), sysId: str(c.sysId, "sysId") },
      deleted,
    );
    return { outputs: { removed: result.removed } };
  },
});

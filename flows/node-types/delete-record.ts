import { z } from "zod";
import { str } from "../registry/coerce";
import { defineNodeType } from "../registry/types";
import { bindingSchema } from "../schema/binding";
import { t } from "../schema/value-type";
import { tableSetting, writeMeta } from "./shared";

const configSchema = z.object({ table: tableSetting, sysId: bindingSchema });

export const deleteRecord = defineNodeType({
  id: "delete_record",
  version: 1,
  label: "Delete Record",
  group: "Records",
  description: "Deletes a record through the one write path.",
  ports: ["next"],
  configSchema,
  inputs: { sysId: { type: "string", label: "sys_id", required: true } },
  outputs: () => t.object({ deleted: t.boolean("Deleted"), sys_id: t.string("sys_id") }),
  sideEffects: true,
  async execute(ctx, c) {
    const sysId = str(c.sysId, "sysId");
    await ctx.ports.records.delete(c.table, sysId, writeMeta(ctx));
    return { outputs: { deleted: true, sys_id: sysId } };
  },
});

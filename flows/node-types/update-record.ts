import { z } from "zod";
import { obj, str } from "../registry/coerce";
import { defineNodeType } from "../registry/types";
import { bindingSchema, optionalBinding } from "../schema/binding";
import { t } from "../schema/value-type";
import { recordType, tableSetting, toJournal, writeMeta } from "./shared";

const configSchema = z.object({
  table: tableSetting,
  sysId: bindingSchema,
  values: bindingSchema,
  journal: optionalBinding(),
});

export const updateRecord = defineNodeType({
  id: "update_record",
  version: 1,
  label: "Update Record",
  group: "Records",
  description: "Updates a record through the one write path.",
  ports: ["next"],
  configSchema,
  inputs: {
    sysId: { type: "string", label: "sys_id", required: true },
    values: { type: "object", label: "Field values", required: true },
    journal: { type: "array", label: "Journal entries" },
  },
  outputs: () => t.object({ record: recordType, sys_id: t.string("sys_id") }),
  sideEffects: true,
  async execute(ctx, c) {
    const meta = writeMeta(ctx);
    const journal = toJournal(c.journal, "journal");
    if (journal.length > 0) meta.journalEntries = journal;
    const record = await ctx.ports.records.update(
      c.table,
      str(c.sysId, "sysId"),
      obj(c.values, "values"),
      meta,
    );
    return { outputs: { record, sys_id: record.sys_id } };
  },
});

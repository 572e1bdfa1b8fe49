import { z } from "zod";
import { obj } from "../registry/coerce";
import { defineNodeType } from "../registry/types";
import { bindingSchema, optionalBinding } from "../schema/binding";
import { t } from "../schema/value-type";
import { recordType, tableSetting, toJournal, writeMeta } from "./shared";

const configSchema = z.object({
  table: tableSetting,
  values: bindingSchema,
  journal: optionalBinding(),
});

export const createRecord = defineNodeType({
  id: "create_record",
  version: 1,
  label: "Create Record",
  group: "Records",
  description: "Creates a record through the one write path (validation, captures, journal).",
  ports: ["next"],
  configSchema,
  inputs: {
    values: { type: "object", label: "Field values", required: true },
    journal: { type: "array", label: "Journal entries" },
  },
  outputs: () => t.object({ record: recordType, sys_id: t.string("sys_id") }),
  sideEffects: true,
  async execute(ctx, c) {
    const meta = writeMeta(ctx);
    const journal = toJournal(c.journal, "journal");
    if (journal.length > 0) meta.journalEntries = journal;
    const record = await ctx.ports.records.create(c.table, obj(c.values, "values"), meta);
    return { outputs: { record, sys_id: record.sys_id } };
  },
});

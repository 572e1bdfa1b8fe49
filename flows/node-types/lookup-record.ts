import { z } from "zod";
import { DataError } from "../ports/errors";
import type { RecordQuery } from "../ports/ports";
import { optObj, optStr } from "../registry/coerce";
import { defineNodeType } from "../registry/types";
import { optionalBinding } from "../schema/binding";
import { t } from "../schema/value-type";
import { recordType, tableSetting } from "./shared";

const configSchema = z.object({
  table: tableSetting,
  /** Either a sys_id, or field → value conditions (all must match). */
  sysId: optionalBinding(),
  where: optionalBinding(),
});

export const lookupRecord = defineNodeType({
  id: "lookup_record",
  version: 1,
  label: "Look Up Record",
  group: "Records",
  description: "Finds one record by sys_id or by field values.",
  ports: ["next"],
  configSchema,
  inputs: {
    sysId: { type: "string", label: "sys_id" },
    where: { type: "object", label: "Conditions (field → value)" },
  },
  outputs: () => t.object({ found: t.boolean("Found"), record: recordType, sys_id: t.string("sys_id") }),
  sideEffects: false,
  async execute(ctx, c) {
    const sysId = optStr(c.sysId, "sysId");
    const where = optObj(c.where, "where");
    let query: RecordQuery;
    if (sysId !== undefined) query = { sysId };
    else if (where !== undefined && Object.keys(where).length > 0) {
      query = { where: Object.fromEntries(Object.entries(where).map(([k, v]) => [k, String(v ?? "")])) };
    } else
      throw new DataError("Look Up Record needs a sys_id or at least one condition.", { field: "sysId" });
    const record = await ctx.ports.records.lookup(c.table, query);
    return { outputs: { found: record !== null, record, sys_id: record?.sys_id ?? null } };
  },
});

import { z } from "zod";
import { optStr, str } from "../registry/coerce";
import { defineNodeType } from "../registry/types";
import { bindingSchema, optionalBinding } from "../schema/binding";
import { t } from "../schema/value-type";
import { correlationOutputs, correlationType } from "./shared";

const configSchema = z.object({
  remoteSystem: bindingSchema,
  table: bindingSchema,
  sysId: bindingSchema,
  remoteCorrelationId: optionalBinding(),
});

/** Look up by local record and create when missing: the common case in one node. */
export const correlate = defineNodeType({
  id: "correlate",
  version: 1,
  label: "Correlate",
  group: "Correlation",
  description: "Finds the correlation of a record with a remote system, creating it when missing.",
  ports: ["next"],
  configSchema,
  inputs: {
    remoteSystem: { type: "string", label: "Remote system", required: true },
    table: { type: "string", label: "Table", required: true },
    sysId: { type: "string", label: "Record sys_id", required: true },
    remoteCorrelationId: { type: "string", label: "Remote correlation id" },
  },
  outputs: () => t.object({ correlation: correlationType, created: t.boolean("Created") }),
  sideEffects: true,
  async execute(ctx, c) {
    const remoteSystem = str(c.remoteSystem, "remoteSystem");
    const table = str(c.table, "table");
    const sysId = str(c.sysId, "sysId");
    const existing = await ctx.ports.correlations.lookupByLocalRecord(remoteSystem, table, sysId);
    if (existing) return { outputs: { correlation: correlationOutputs(existing), created: false } };
    const created = await ctx.ports.correlations.create({
      remoteSystem,
      table,
      sysId,
      remoteCorrelationId: optStr(c.remoteCorrelationId, "remoteCorrelationId") ?? null,
    });
    return { outputs: { correlation: correlationOutputs(created), created: true } };
  },
});

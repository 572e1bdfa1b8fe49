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
  /** Given on inbound (the id the queue assigned) and on outbound (the id Send generated). */
  localCorrelationId: optionalBinding(),
  remoteCorrelationId: optionalBinding(),
});

export const createCorrelation = defineNodeType({
  id: "create_correlation",
  version: 1,
  label: "Create Correlation",
  group: "Correlation",
  description: "Links a local record with a remote system. Returns the existing link if there is one.",
  ports: ["next"],
  configSchema,
  inputs: {
    remoteSystem: { type: "string", label: "Remote system", required: true },
    table: { type: "string", label: "Table", required: true },
    sysId: { type: "string", label: "Record sys_id", required: true },
    localCorrelationId: { type: "string", label: "Local correlation id" },
    remoteCorrelationId: { type: "string", label: "Remote correlation id" },
  },
  outputs: () => t.object({ correlation: correlationType }),
  sideEffects: true,
  async execute(ctx, c) {
    const localCorrelationId = optStr(c.localCorrelationId, "localCorrelationId");
    const correlation = await ctx.ports.correlations.create({
      remoteSystem: str(c.remoteSystem, "remoteSystem"),
      table: str(c.table, "table"),
      sysId: str(c.sysId, "sysId"),
      ...(localCorrelationId === undefined ? {} : { localCorrelationId }),
      remoteCorrelationId: optStr(c.remoteCorrelationId, "remoteCorrelationId") ?? null,
    });
    return { outputs: { correlation: correlationOutputs(correlation) } };
  },
});

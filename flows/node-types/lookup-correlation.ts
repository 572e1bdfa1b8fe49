import { z } from "zod";
import { optStr, str } from "../registry/coerce";
import { defineNodeType } from "../registry/types";
import { optionalBinding } from "../schema/binding";
import { t } from "../schema/value-type";
import { correlationOutputs, correlationType } from "./shared";

const configSchema = z.object({
  /** `local_or_remote_id` tries the local correlation id first, then the remote one (inbound). */
  by: z
    .enum(["local_record", "local_correlation_id", "remote_correlation_id", "local_or_remote_id"])
    .default("local_record"),
  remoteSystem: optionalBinding(),
  table: optionalBinding(),
  sysId: optionalBinding(),
  localCorrelationId: optionalBinding(),
  remoteCorrelationId: optionalBinding(),
});

export const lookupCorrelation = defineNodeType({
  id: "lookup_correlation",
  version: 1,
  label: "Look Up Correlation",
  group: "Correlation",
  description: "Finds the active correlation of a record with a remote system.",
  ports: ["next"],
  configSchema,
  inputs: {
    remoteSystem: { type: "string", label: "Remote system", required: true },
    table: { type: "string", label: "Table" },
    sysId: { type: "string", label: "Record sys_id" },
    localCorrelationId: { type: "string", label: "Local correlation id" },
    remoteCorrelationId: { type: "string", label: "Remote correlation id" },
  },
  requiredInputs: (c) => {
    if (c.by === "local_record") return ["table", "sysId"];
    if (c.by === "local_correlation_id") return ["localCorrelationId"];
    if (c.by === "remote_correlation_id") return ["remoteCorrelationId"];
    return [];
  },
  outputs: () => t.object({ found: t.boolean("Found"), correlation: correlationType }),
  sideEffects: false,
  async execute(ctx, c) {
    const remote = str(c.remoteSystem, "remoteSystem");
    const port = ctx.ports.correlations;
    let found = null;
    if (c.by === "local_record") {
      found = await port.lookupByLocalRecord(remote, str(c.table, "table"), str(c.sysId, "sysId"));
    } else if (c.by === "local_correlation_id") {
      found = await port.lookupByLocalId(remote, str(c.localCorrelationId, "localCorrelationId"));
    } else if (c.by === "remote_correlation_id") {
      found = await port.lookupByRemoteId(remote, str(c.remoteCorrelationId, "remoteCorrelationId"));
    } else {
      const local = optStr(c.localCorrelationId, "localCorrelationId");
      const remoteId = optStr(c.remoteCorrelationId, "remoteCorrelationId");
      if (local !== undefined) found = await port.lookupByLocalId(remote, local);
      if (found === null && remoteId !== undefined) found = await port.lookupByRemoteId(remote, remoteId);
    }
    return { outputs: { found: found !== null, correlation: correlationOutputs(found) } };
  },
});

import { z } from "zod";
import { str } from "../registry/coerce";
import { defineNodeType } from "../registry/types";
import { bindingSchema } from "../schema/binding";
import { t } from "../schema/value-type";
import { correlationOutputs, correlationType } from "./shared";

const configSchema = z.object({
  remoteSystem: bindingSchema,
  localCorrelationId: bindingSchema,
  /** Inactive stops sync for the record; the correlation is kept for audit (SPEC 3.5). */
  state: z.enum(["active", "inactive"]).default("inactive"),
});

export const updateCorrelationState = defineNodeType({
  id: "update_correlation_state",
  version: 1,
  label: "Update Correlation State",
  group: "Correlation",
  description: "Activates or deactivates a correlation.",
  ports: ["next"],
  configSchema,
  inputs: {
    remoteSystem: { type: "string", label: "Remote system", required: true },
    localCorrelationId: { type: "string", label: "Local correlation id", required: true },
  },
  outputs: () => t.object({ correlation: correlationType }),
  sideEffects: true,
  async execute(ctx, c) {
    const correlation = await ctx.ports.correlations.updateState(
      str(c.remoteSystem, "remoteSystem"),
      str(c.localCorrelationId, "localCorrelationId"),
      c.state,
    );
    return { outputs: { correlation: correlationOutputs(correlation) } };
  },
});

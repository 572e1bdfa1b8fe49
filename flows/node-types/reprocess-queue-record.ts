import { defineNodeType } from "../registry/types";
import { queueConfigSchema, queueInputs, queueOutputs, runQueueOperation } from "./queue-record";

export const reprocessQueueRecord = defineNodeType({
  id: "reprocess_queue_record",
  version: 1,
  label: "Reprocess Queue Record",
  group: "Operations",
  description: "Sets error or skipped queue rows back to ready.",
  ports: ["next"],
  configSchema: queueConfigSchema,
  inputs: queueInputs,
  outputs: queueOutputs,
  sideEffects: true,
  execute: (ctx, c) => runQueueOperation(ctx, "reprocess", c.queue, c.ids),
});

import { defineNodeType } from "../registry/types";
import { queueConfigSchema, queueInputs, queueOutputs, runQueueOperation } from "./queue-record";

export const skipQueueRecord = defineNodeType({
  id: "skip_queue_record",
  version: 1,
  label: "Skip Queue Record",
  group: "Operations",
  description: "Sets ready or error queue rows to skipped, unblocking their lanes.",
  ports: ["next"],
  configSchema: queueConfigSchema,
  inputs: queueInputs,
  outputs: queueOutputs,
  sideEffects: true,
  execute: (ctx, c) => runQueueOperation(ctx, "skip", c.queue, c.ids),
});

import { z } from "zod";
import { DataError } from "../ports/errors";
import type { QueueName } from "../ports/ports";
import { strList } from "../registry/coerce";
import type { NodeContext, NodeResult } from "../registry/types";
import { bindingSchema } from "../schema/binding";
import { t } from "../schema/value-type";

/** Shared by Reprocess Queue Record and Skip Queue Record: same inputs, different operation. */
export const queueConfigSchema = z.object({
  queue: z.enum(["outbound", "inbound"]).default("outbound"),
  ids: bindingSchema,
});

export const queueInputs = { ids: { type: "any", label: "Queue row ids", required: true } } as const;

export const queueOutputs = () => t.object({ count: t.number("Rows changed") });

export async function runQueueOperation(
  ctx: NodeContext,
  op: "reprocess" | "skip",
  queue: QueueName,
  rawIds: unknown,
): Promise<NodeResult> {
  const ids = strList(rawIds, "ids");
  if (ids.length === 0) throw new DataError("No queue row ids given.", { field: "ids" });
  const meta = { idempotencyKey: ctx.idempotencyKey, ...(ctx.runAs ? { runAs: ctx.runAs } : {}) };
  const result = await ctx.ports.queues[op](queue, ids, meta);
  return { outputs: { count: result.count } };
}

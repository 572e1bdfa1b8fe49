import { z } from "zod";
import { QueueMonitor, queueStatuses } from "../../queue/monitor";
import { roleProcedure, router } from "../trpc";

// The outbound and inbound queues for the live monitors (SPEC 6): filtered lists, one row with
// its payload, retry history and who-did-what, the flow execution a row ran, reprocess and skip.

const operator = roleProcedure("sync_operator", "sync_admin");
const queue = z.enum(["outbound", "inbound"]);

export const queuesRouter = router({
  list: operator
    .input(
      z.object({
        queue,
        statuses: z.array(z.enum(queueStatuses)).optional(),
        remoteId: z.string().optional(),
        processEvent: z.string().optional(),
        from: z.number().int().optional(),
        to: z.number().int().optional(),
        before: z.number().int().optional(),
        failedAt: z
          .object({
            flowId: z.string().min(1),
            version: z.number().int().positive().optional(),
            nodeId: z.string().min(1),
          })
          .optional(),
        limit: z.number().int().min(1).max(500).default(100),
      }),
    )
    .query(({ ctx, input }) => new QueueMonitor(ctx.inst.storage, ctx.inst.sync.config).list(input)),
  row: operator
    .input(z.object({ queue, id: z.number().int() }))
    .query(({ ctx, input }) =>
      new QueueMonitor(ctx.inst.storage, ctx.inst.sync.config).row(input.queue, input.id),
    ),
  /** Filter choices: remote systems and the process events seen in the queue. */
  facets: operator.input(z.object({ queue })).query(async ({ ctx, input }) => ({
    remotes: (await ctx.inst.sync.config.listRemotes()).map((r) => ({ id: r.id, name: r.name })),
    events: await new QueueMonitor(ctx.inst.storage, ctx.inst.sync.config).events(input.queue),
  })),
  reprocess: operator
    .input(
      z.object({ queue, ids: z.array(z.number().int()).min(1), originalVersion: z.boolean().default(false) }),
    )
    .mutation(({ ctx, input }) =>
      ctx.inst.sync.queues.reprocessRows(input.queue, input.ids, ctx.user.userName, {
        originalVersion: input.originalVersion,
      }),
    ),
  skip: operator
    .input(z.object({ queue, ids: z.array(z.number().int()).min(1) }))
    .mutation(({ ctx, input }) => ctx.inst.sync.queues.skipRows(input.queue, input.ids, ctx.user.userName)),
});

import { z } from "zod";
import { roleProcedure, router } from "../trpc";

// The outbound and inbound queues through the API; the live monitors build on these.

const operator = roleProcedure("sync_operator", "sync_admin");
const queue = z.enum(["outbound", "inbound"]);

export const queuesRouter = router({
  list: operator
    .input(
      z.object({
        queue,
        status: z.enum(["ready", "processing", "processed", "error", "skipped"]).optional(),
        limit: z.number().int().min(1).max(1000).default(100),
      }),
    )
    .query(({ ctx, input }) => {
      const table = input.queue === "outbound" ? "outbound_queue" : "inbound_queue";
      const key = input.queue === "outbound" ? "id" : "sequence";
      const where = input.status ? "WHERE status = ?" : "";
      const params: unknown[] = input.status ? [input.status, input.limit] : [input.limit];
      return ctx.inst.db.$client
        .prepare(`SELECT * FROM ${table} ${where} ORDER BY ${key} DESC LIMIT ?`)
        .all(...params) as Array<Record<string, unknown>>;
    }),
  reprocess: operator
    .input(
      z.object({ queue, ids: z.array(z.number().int()).min(1), originalVersion: z.boolean().default(false) }),
    )
    .mutation(({ ctx, input }) =>
      ctx.inst.sync.queues.reprocess(input.queue, input.ids, ctx.user.userName, {
        originalVersion: input.originalVersion,
      }),
    ),
  skip: operator
    .input(z.object({ queue, ids: z.array(z.number().int()).min(1) }))
    .mutation(({ ctx, input }) => ctx.inst.sync.queues.skip(input.queue, input.ids, ctx.user.userName)),
});

import { z } from "zod";
import { type QueueHistoryRow, queueHistoryOfRecord } from "../../queue/record-history";
import { readRecordRoles } from "../access";
import { roleProcedure, router } from "../trpc";

// The Sync panel of a record form (SPEC 6): its correlations and its queue history both ways.

const reader = roleProcedure(...readRecordRoles);

export const correlationsRouter = router({
  ofRecord: reader
    .input(
      z.object({
        table: z.string().min(1),
        sysId: z.string().min(1),
        limit: z.number().int().max(200).default(50),
      }),
    )
    .query(async ({ ctx, input }) => {
      const remotes = ctx.inst.sync.config.snapshot().remotesById;
      const correlations = (await ctx.inst.sync.correlations.ofRecord(input.table, input.sysId)).map((k) => ({
        ...k,
        remoteName: remotes.get(k.remoteSystem)?.name ?? k.remoteSystem,
      }));
      const { outbound, inbound } = await queueHistoryOfRecord(
        ctx.inst.storage,
        {
          table: input.table,
          sysId: input.sysId,
          correlationIds: correlations.map((k) => k.localCorrelationId),
        },
        input.limit,
      );
      const name = (r: QueueHistoryRow) => ({
        ...r,
        remoteName: remotes.get(r.remoteSystemId)?.name ?? r.remoteSystemId,
      });
      return { correlations, outbound: outbound.map(name), inbound: inbound.map(name) };
    }),
});

import { z } from "zod";
import { hasRole } from "../../auth/roles";
import { RecordError } from "../../util/errors";
import { roleProcedure, router } from "../trpc";

// "Try with draft" (issue 15): a queue row's flow draft on the row's real inputs with the dry-run
// ports, and "Publish and reprocess". Thin: server/runner/dry-run does the work.

const queue = z.enum(["outbound", "inbound"]);

export const tryDraftRouter = router({
  /** Writes nothing, sends nothing, emails no one: safe for anyone who may see the row and the flow. */
  run: roleProcedure("flow_designer", "sync_admin", "sync_operator")
    .input(z.object({ queue, id: z.number().int() }))
    .mutation(({ ctx, input }) => ctx.inst.sync.tryWithDraft.run(input.queue, input.id)),

  /** Publishing needs a designer, reprocessing an operator: both, or a sync admin. */
  publishAndReprocess: roleProcedure("flow_designer", "sync_admin")
    .input(z.object({ flowId: z.string().min(1), queue, ids: z.array(z.number().int()).min(1).max(1000) }))
    .mutation(({ ctx, input }) => {
      if (!hasRole(ctx.user, "sync_operator", "sync_admin"))
        throw new RecordError(403, "Not allowed", "Reprocessing rows needs the sync_operator role");
      return ctx.inst.sync.tryWithDraft.publishAndReprocess(
        input.flowId,
        input.queue,
        input.ids,
        ctx.user.userName,
      );
    }),
});

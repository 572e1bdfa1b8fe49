import { z } from "zod";
import { startInput } from "../../initial-sync/initial-sync";
import { roleProcedure, router } from "../trpc";

// Initial sync jobs (issue 17): thin procedures over server/initial-sync/initial-sync.ts, which
// validates the condition, the link field and the remote's state.

const admin = roleProcedure("sync_admin");
const id = z.object({ id: z.string().min(1) });

export const initialSyncRouter = router({
  /** What the new-job form picks from: definitions, their remotes and captures, each table's fields. */
  options: admin.query(async ({ ctx }) => {
    const c = ctx.inst.sync.config;
    const snapshot = c.snapshot();
    const definitions = await c.listDefinitions();
    const captures = [...snapshot.capturesByTable.values()].flat();
    return definitions.map((d) => {
      const mine = captures.filter((cap) => cap.definitionId === d.id);
      const remoteIds = new Set(
        mine.flatMap((cap) =>
          (snapshot.outboundByEvent.get(cap.processEventId) ?? []).map((b) => b.remoteSystemId),
        ),
      );
      // Remotes this definition receives from: their records can be brought here (a pull).
      const events = new Set(
        [...snapshot.eventsById.values()].filter((e) => e.definitionId === d.id).map((e) => e.id),
      );
      const pullIds = new Set(
        [...snapshot.inboundByKey.values()]
          .filter((b) => events.has(b.processEventId))
          .map((b) => b.remoteSystemId),
      );
      return {
        id: d.id,
        name: d.name,
        pullRemotes: [...pullIds].flatMap((rid) => {
          const r = snapshot.remotesById.get(rid);
          return r
            ? [{ id: r.id, name: r.name, inboundState: r.inboundState, outboundState: r.outboundState }]
            : [];
        }),
        remotes: [...remoteIds].flatMap((rid) => {
          const r = snapshot.remotesById.get(rid);
          return r ? [{ id: r.id, name: r.name, outboundState: r.outboundState }] : [];
        }),
        captures: mine.map((cap) => ({
          id: cap.id,
          name: cap.name,
          table: cap.sourceTable,
          remoteIds: (snapshot.outboundByEvent.get(cap.processEventId) ?? []).map((b) => b.remoteSystemId),
          fields: ["sys_id", ...(ctx.inst.registry.get(cap.sourceTable)?.fields.map((f) => f.name) ?? [])],
        })),
      };
    });
  }),
  preview: admin
    .input(
      startInput.pick({
        definitionId: true,
        remoteSystemId: true,
        captureDefinitionId: true,
        condition: true,
        direction: true,
      }),
    )
    .query(async ({ ctx, input }) => {
      const preview = await ctx.inst.sync.initialSync.preview({ ...input, condition: input.condition ?? "" });
      // The fields a job could link by (a pull's table is the remote's, known from its answer).
      const fields = ["sys_id", ...(ctx.inst.registry.get(preview.table)?.fields.map((f) => f.name) ?? [])];
      return { ...preview, fields };
    }),
  start: admin
    .input(startInput)
    .mutation(({ ctx, input }) => ctx.inst.sync.initialSync.startJob(input, ctx.user.userName)),
  list: admin.query(({ ctx }) => ctx.inst.sync.initialSync.list()),
  get: admin.input(id).query(({ ctx, input }) => ctx.inst.sync.initialSync.view(input.id)),
  pause: admin
    .input(id)
    .mutation(({ ctx, input }) => ctx.inst.sync.initialSync.pause(input.id, ctx.user.userName)),
  resume: admin
    .input(id)
    .mutation(({ ctx, input }) => ctx.inst.sync.initialSync.resume(input.id, ctx.user.userName)),
  cancel: admin
    .input(id)
    .mutation(({ ctx, input }) => ctx.inst.sync.initialSync.cancel(input.id, ctx.user.userName)),
});

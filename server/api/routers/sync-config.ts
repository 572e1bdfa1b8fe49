import { z } from "zod";
import { roleProcedure, router, uiProcedure } from "../trpc";

// Sync configuration (SPEC 2) through the API: thin procedures over server/sync/config-store.ts,
// which validates every input with the schemas in server/sync/config-schemas.ts.

const admin = roleProcedure("sync_admin");
const id = z.object({ id: z.string().min(1) });
const withData = z.object({ id: z.string().min(1), data: z.record(z.string(), z.unknown()) });
const data = z.record(z.string(), z.unknown());

export const syncConfigRouter = router({
  overview: uiProcedure.query(({ ctx }) => {
    const c = ctx.inst.sync.config;
    return {
      definitions: c.listDefinitions(),
      events: c.listEvents(),
      captures: c.listCaptures(),
      remotes: c.listRemotes(),
      bindings: c.listBindings(),
    };
  }),
  createDefinition: admin
    .input(data)
    .mutation(({ ctx, input }) => ctx.inst.sync.config.createDefinition(input)),
  createEvent: admin.input(data).mutation(({ ctx, input }) => ctx.inst.sync.config.createEvent(input)),
  createCapture: admin.input(data).mutation(({ ctx, input }) => ctx.inst.sync.config.createCapture(input)),
  updateCapture: admin
    .input(withData)
    .mutation(({ ctx, input }) => ctx.inst.sync.config.updateCapture(input.id, input.data)),
  createRemote: admin.input(data).mutation(({ ctx, input }) => ctx.inst.sync.config.createRemote(input)),
  updateRemote: admin
    .input(withData)
    .mutation(({ ctx, input }) => ctx.inst.sync.config.updateRemote(input.id, input.data)),
  createBinding: admin.input(data).mutation(({ ctx, input }) => ctx.inst.sync.config.createBinding(input)),
  updateBinding: admin
    .input(withData)
    .mutation(({ ctx, input }) => ctx.inst.sync.config.updateBinding(input.id, input.data)),
  /** Validate and Activate: the answer names the check that failed, and nothing changes then. */
  validateAndActivate: admin
    .input(id)
    .mutation(({ ctx, input }) => ctx.inst.sync.validateAndActivate(input.id)),
});

import { z } from "zod";
import { FLOW_TEMPLATES } from "@/flows";
import { checkConnectionUrl } from "../../sync/connection-check";
import { setupChecklist } from "../../template-sets/setup-checklist";
import { roleProcedure, router } from "../trpc";

// Sync configuration (SPEC 2) through the API: thin procedures over server/sync/config-store.ts,
// which validates every input with the schemas in server/sync/config-schemas.ts; pairing over
// server/sync/pairing.ts.

const admin = roleProcedure("sync_admin");
const id = z.object({ id: z.string().min(1) });
const withData = z.object({ id: z.string().min(1), data: z.record(z.string(), z.unknown()) });
const data = z.record(z.string(), z.unknown());

export const syncConfigRouter = router({
  overview: admin.query(async ({ ctx }) => {
    const c = ctx.inst.sync.config;
    const [definitions, events, captures, remotes, bindings] = await Promise.all([
      c.listDefinitions(),
      c.listEvents(),
      c.listCaptures(),
      c.listRemotes(),
      c.listBindings(),
    ]);
    return { definitions, events, captures, remotes, bindings };
  }),
  /** What the configuration forms pick from: tables and fields, users, flows, templates. */
  choices: admin.query(async ({ ctx }) => {
    const users = (
      await ctx.inst.records.list("sys_user", { query: "ORDERBYuser_name", count: false })
    ).rows.map((u) => ({ id: u.sys_id, userName: u.user_name ?? "", roles: u.roles ?? "" }));
    return {
      self: { instance: ctx.inst.config.instance, url: ctx.inst.config.publicUrl },
      tables: ctx.inst.registry.list().map((t) => ({
        name: t.name,
        label: t.label,
        fields: t.fields.map((f) => ({
          name: f.name,
          label: f.label,
          type: f.type,
          choices: f.choices ?? [],
          reference: f.reference ?? null,
        })),
      })),
      users,
      flows: (await ctx.inst.sync.flows.list()).map((f) => ({
        id: f.id,
        name: f.name,
        kind: f.kind,
        latestVersion: f.latestVersion,
      })),
      templates: FLOW_TEMPLATES.map((t) => ({ id: t.id, name: t.name, kind: t.kind })),
    };
  }),
  createDefinition: admin
    .input(data)
    .mutation(({ ctx, input }) => ctx.inst.sync.config.createDefinition(input)),
  updateDefinition: admin
    .input(withData)
    .mutation(({ ctx, input }) => ctx.inst.sync.config.updateDefinition(input.id, input.data)),
  createEvent: admin.input(data).mutation(({ ctx, input }) => ctx.inst.sync.config.createEvent(input)),
  updateEvent: admin
    .input(withData)
    .mutation(({ ctx, input }) => ctx.inst.sync.config.updateEvent(input.id, input.data)),
  createCapture: admin.input(data).mutation(({ ctx, input }) => ctx.inst.sync.config.createCapture(input)),
  updateCapture: admin
    .input(withData)
    .mutation(({ ctx, input }) => ctx.inst.sync.config.updateCapture(input.id, input.data)),
  createRemote: admin.input(data).mutation(async ({ ctx, input }) => {
    await checkConnectionUrl(ctx.inst.sync.guard, input);
    return ctx.inst.sync.config.createRemote(input);
  }),
  updateRemote: admin.input(withData).mutation(async ({ ctx, input }) => {
    await checkConnectionUrl(ctx.inst.sync.guard, input.data);
    return ctx.inst.sync.config.updateRemote(input.id, input.data);
  }),
  createBinding: admin.input(data).mutation(({ ctx, input }) => ctx.inst.sync.config.createBinding(input)),
  updateBinding: admin
    .input(withData)
    .mutation(({ ctx, input }) => ctx.inst.sync.config.updateBinding(input.id, input.data)),
  /** Validate and Activate: the answer names the check that failed, and nothing changes then. */
  validateAndActivate: admin
    .input(id)
    .mutation(({ ctx, input }) => ctx.inst.sync.validateAndActivate(input.id)),
  /**
   * "New from template" for flow records: clones a template and publishes it, so a flow record
   * can bind it at once; the designer (/flows/<id>) edits it later.
   */
  flowFromTemplate: admin
    .input(z.object({ templateId: z.string().min(1), name: z.string().trim().min(1).max(100) }))
    .mutation(async ({ ctx, input }) => {
      const flow = await ctx.inst.sync.flows.cloneTemplate(input.templateId, input.name, ctx.user.userName);
      const version = await ctx.inst.sync.flows.publish(flow.id, ctx.user.userName);
      return { id: flow.id, name: flow.name, kind: flow.kind, latestVersion: version.version };
    }),
  createInvitation: admin.mutation(({ ctx }) =>
    ctx.inst.sync.pairing.createInvitation({ userName: ctx.user.userName, sysId: ctx.user.sysId }),
  ),
  acceptInvitation: admin
    .input(z.object({ token: z.string().min(1).max(4000) }))
    .mutation(({ ctx, input }) => ctx.inst.sync.pairing.accept(input.token, { sysId: ctx.user.sysId })),
  /** The dashboard's first-sync checklist (issue 17): how far each remote is from its first sync. */
  setup: admin.query(({ ctx }) =>
    setupChecklist({
      storage: ctx.inst.storage,
      config: ctx.inst.sync.config,
      templateSets: ctx.inst.sync.templateSets,
    }),
  ),
  /** Applies a template set on both sides of a pair in one action (the peer's half first). */
  applyTemplateSet: admin
    .input(z.object({ remoteSystemId: z.string().min(1), set: z.string().min(1).max(50) }))
    .mutation(({ ctx, input }) =>
      ctx.inst.sync.templateSets.apply(input.remoteSystemId, input.set, ctx.user.userName),
    ),
});

import { z } from "zod";
import { type CanvasGraph, FLOW_TEMPLATES } from "../../../flows";
import { getExecution, inboundSamples, listExecutions, listFlows } from "../../flow-store/flow-queries";
import { testRun } from "../../flow-store/test-run";
import { RecordError } from "../../util/errors";
import { pageRoles } from "../access";
import { roleProcedure, router } from "../trpc";

// Flows (SPEC 4, 5) for the designer and the operations views. Thin: FlowStore does the writes,
// flow-queries the reads, test-run the in-memory runs.

const reader = roleProcedure(...pageRoles.flows);
const designer = roleProcedure("flow_designer", "sync_admin");
const flowId = z.object({ id: z.string().min(1) });
/** Graphs are validated (and migrated) by FlowStore with the canvas schema; zod here only gates size. */
const graph = z.record(z.string(), z.unknown());

export const flowsRouter = router({
  list: reader.query(({ ctx }) => listFlows(ctx.inst.storage)),

  templates: reader.query(() =>
    FLOW_TEMPLATES.map((t) => ({
      id: t.id,
      name: t.name,
      kind: t.kind,
      description: t.graph.description,
      nodeCount: t.graph.nodes.length,
    })),
  ),

  get: reader.input(flowId).query(async ({ ctx, input }) => {
    const row = await ctx.inst.sync.flows.get(input.id);
    return {
      id: row.id,
      name: row.name,
      kind: row.kind,
      latestVersion: row.latestVersion,
      updatedAt: row.updatedAt,
      updatedBy: row.updatedBy,
      draft: row.draft as CanvasGraph,
    };
  }),

  /** A new flow from a canvas graph (import, or "new blank flow"). */
  create: designer.input(z.object({ graph })).mutation(async ({ ctx, input }) => {
    const row = await ctx.inst.sync.flows.create(input.graph, ctx.user.userName);
    return { id: row.id };
  }),

  cloneTemplate: designer
    .input(z.object({ templateId: z.string().min(1), name: z.string().trim().min(1).max(200) }))
    .mutation(async ({ ctx, input }) => {
      const store = ctx.inst.sync.flows;
      if (await store.findByName(input.name))
        throw new RecordError(409, "Name taken", `A flow named "${input.name}" already exists`, "name");
      return { id: (await store.cloneTemplate(input.templateId, input.name, ctx.user.userName)).id };
    }),

  saveDraft: designer.input(z.object({ id: z.string().min(1), graph })).mutation(async ({ ctx, input }) => {
    const row = await ctx.inst.sync.flows.saveDraft(input.id, input.graph, ctx.user.userName);
    return { updatedAt: row.updatedAt };
  }),

  /** Refused (400, with the first diagnostics in `detail`) while the draft has errors. */
  publish: designer.input(flowId).mutation(async ({ ctx, input }) => {
    const v = await ctx.inst.sync.flows.publish(input.id, ctx.user.userName);
    return { version: v.version, publishedAt: v.publishedAt };
  }),

  versions: reader.input(flowId).query(async ({ ctx, input }) =>
    (await ctx.inst.sync.flows.versions(input.id)).map((v) => ({
      version: v.version,
      publishedAt: v.publishedAt,
      publishedBy: v.publishedBy,
    })),
  ),

  version: reader
    .input(z.object({ id: z.string().min(1), version: z.number().int().positive() }))
    .query(async ({ ctx, input }) => {
      const v = (await ctx.inst.sync.flows.versions(input.id)).find((x) => x.version === input.version);
      if (!v) throw new RecordError(404, "Version not found", `No version ${input.version}`);
      return { version: v.version, publishedAt: v.publishedAt, graph: v.graph as CanvasGraph };
    }),

  /** Runs a graph on in-memory ports: nothing is written, sent or mailed. */
  testRun: designer
    .input(z.object({ graph, inputs: z.record(z.string(), z.unknown()) }))
    .mutation(({ input }) => testRun(input.graph, input.inputs)),

  inboundSamples: reader
    .input(z.object({ limit: z.number().int().min(1).max(100).default(20) }))
    .query(({ ctx, input }) => inboundSamples(ctx.inst.storage, input.limit)),

  /** Executions, newest first, of a flow and/or for a queue row. */
  executions: reader
    .input(
      z.object({
        flowId: z.string().optional(),
        queue: z.enum(["outbound", "inbound"]).optional(),
        queueRowId: z.number().int().optional(),
        status: z.enum(["running", "completed", "error", "cancelled"]).optional(),
        limit: z.number().int().min(1).max(500).default(50),
      }),
    )
    .query(({ ctx, input }) => listExecutions(ctx.inst.storage, input)),

  /** One execution with its step journal, the graph of the version it ran and its log lines. */
  execution: reader.input(flowId).query(async ({ ctx, input }) => {
    const e = await getExecution(ctx.inst.storage, input.id);
    if (!e) throw new RecordError(404, "Execution not found", `No flow execution has id ${input.id}`);
    const template = ctx.inst.config.traceUrl;
    return { ...e, traceUrl: e.traceId && template ? template.replaceAll("{traceId}", e.traceId) : null };
  }),
});

import { z } from "zod";
import { applyPlan } from "../../config-as-code/apply";
import { exportFiles } from "../../config-as-code/export";
import { type Plan, planImport } from "../../config-as-code/plan";
import { roleProcedure, router } from "../trpc";

// Configuration as code (`npm run tandem -- export|import`): the CLI reads and writes the files,
// the instance computes and applies the plan, so its configuration caches stay right.

const admin = roleProcedure("sync_admin");
const secrets = z.record(
  z.string(),
  z.object({
    outboundSecret: z.string().min(1).optional(),
    signingSecret: z.string().min(1).optional(),
    inboundPassword: z.string().min(1).optional(),
  }),
);
const importInput = z.object({
  files: z.record(z.string().max(300), z.string().max(5_000_000)),
  secrets: secrets.default({}),
});

/** What the CLI prints: the plan without the documents themselves. */
function summary(plan: Plan) {
  return {
    changes: plan.changes,
    errors: plan.errors,
    warnings: plan.warnings,
    needsSecrets: plan.needsSecrets,
  };
}

export const configAsCodeRouter = router({
  exportFiles: admin.query(async ({ ctx }) => ({ files: await exportFiles(ctx.inst) })),
  planImport: admin
    .input(importInput)
    .mutation(async ({ ctx, input }) => summary(await planImport(ctx.inst, input.files, input.secrets))),
  applyImport: admin.input(importInput).mutation(async ({ ctx, input }) => {
    const plan = await planImport(ctx.inst, input.files, input.secrets);
    if (plan.errors.length === 0) await applyPlan(ctx.inst, plan, input.secrets, ctx.actor);
    return { ...summary(plan), applied: plan.errors.length === 0 };
  }),
});

import { z } from "zod";
import { chartWindows, dashboard } from "../../queue/dashboard";
import { pageRoles } from "../access";
import { roleProcedure, router } from "../trpc";

// The operations dashboard (SPEC 6); the page refetches it on live ticks (app/api/live).

const windows = Object.keys(chartWindows) as [keyof typeof chartWindows, ...Array<keyof typeof chartWindows>];

export const dashboardRouter = router({
  summary: roleProcedure(...pageRoles.dashboard)
    .input(z.object({ window: z.enum(windows).default("24h") }).optional())
    .query(({ ctx, input }) =>
      dashboard(ctx.inst.storage, ctx.inst.sync.config, Date.now(), input?.window ?? "24h"),
    ),
});

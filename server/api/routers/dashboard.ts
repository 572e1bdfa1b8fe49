import { dashboard } from "../../queue/dashboard";
import { pageRoles } from "../access";
import { roleProcedure, router } from "../trpc";

// The operations dashboard (SPEC 6); the page refetches it on live ticks (app/api/live).

export const dashboardRouter = router({
  summary: roleProcedure(...pageRoles.dashboard).query(({ ctx }) =>
    dashboard(ctx.inst.db, ctx.inst.sync.config),
  ),
});

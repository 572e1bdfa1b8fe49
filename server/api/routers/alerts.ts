import { z } from "zod";
import { pageRoles } from "../access";
import { roleProcedure, router } from "../trpc";

// Remote-system alerts (issue 15) for the dashboard and the designer's banner: read only; the
// evaluator in the sync engine sets and clears them.

const alertShape = z.object({
  remoteSystemId: z.string(),
  remoteName: z.string(),
  kind: z.enum(["queue_age", "error_rate"]),
  state: z.enum(["firing", "cleared"]),
  value: z.number(),
  threshold: z.number(),
  message: z.string(),
  firedAt: z.number(),
  clearedAt: z.number().nullable(),
  notifiedAt: z.number().nullable(),
});

export const alertsRouter = router({
  list: roleProcedure(...pageRoles.dashboard, ...pageRoles.flows)
    .output(z.array(alertShape))
    .query(({ ctx }) => ctx.inst.sync.alerts.list()),
});

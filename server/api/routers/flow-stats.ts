import { z } from "zod";
import { flowFigures } from "../../stats/flow-figures";
import { type StatWindow, statWindows } from "../../stats/node-stats-query";
import { pageRoles } from "../access";
import { roleProcedure, router } from "../trpc";

// The live canvas's figures (issue 15): per node runs, errors, p95 and last error, per port the
// runs that took it, over a window, for one published version and the one before it. Read from
// the flow_node_stat aggregate only, never from execution journals.

const reader = roleProcedure(...pageRoles.flows);
const windowKey = z.enum(Object.keys(statWindows) as [StatWindow, ...StatWindow[]]);

export const flowStatsRouter = router({
  figures: reader
    .input(
      z.object({
        flowId: z.string().min(1),
        /** The version shown; the latest published one when omitted. */
        version: z.number().int().positive().optional(),
        window: windowKey.default("24h"),
      }),
    )
    .query(({ ctx, input }) => flowFigures({ storage: ctx.inst.storage, flows: ctx.inst.sync.flows }, input)),
});

import { z } from "zod";
import { NodeStatsQuery, statWindows } from "../../stats/node-stats-query";
import { pageRoles } from "../access";
import { roleProcedure, router } from "../trpc";

// The live canvas's figures (issue 15): per node runs, errors, p95 and last error, per port the
// runs that took it, over a window, for one published version and the one before it. Read from
// the flow_node_stat aggregate only, never from execution journals.

const reader = roleProcedure(...pageRoles.flows);
const windowKey = z.enum(
  Object.keys(statWindows) as [keyof typeof statWindows, ...(keyof typeof statWindows)[]],
);

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
    .query(({ ctx, input }) => {
      const flow = ctx.inst.sync.flows.get(input.flowId);
      const version = input.version ?? flow.latestVersion;
      const at = Date.now();
      if (version === null) return { at, kind: flow.kind, current: null, previous: null };
      const q = new NodeStatsQuery(ctx.inst.db);
      const windowMs = statWindows[input.window];
      const previousVersion = q.previousVersion(input.flowId, version);
      return {
        at,
        kind: flow.kind,
        current: q.figures(input.flowId, version, windowMs, at),
        previous: previousVersion === null ? null : q.figures(input.flowId, previousVersion, windowMs, at),
      };
    }),
});

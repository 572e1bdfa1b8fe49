import type { FlowStore } from "../flow-store/flow-store";
import type { Storage } from "../storage";
import { nodeStatsQueryPlans, type StatWindow, statWindows, type VersionFigures } from "./node-stats-query";

export interface FlowFigures {
  at: number;
  kind: string;
  current: VersionFigures | null;
  previous: VersionFigures | null;
}

/**
 * A flow's live-canvas figures: the version shown (the latest published one by default) and the
 * version before it, over the same window. Used by the tRPC query and by the designer page,
 * which renders the first figures with the canvas instead of fetching them after hydration.
 */
export async function flowFigures(
  deps: { storage: Storage; flows: Pick<FlowStore, "get"> },
  input: { flowId: string; version?: number | undefined; window: StatWindow },
  at = Date.now(),
): Promise<FlowFigures> {
  const flow = await deps.flows.get(input.flowId);
  const version = input.version ?? flow.latestVersion;
  if (version === null) return { at, kind: flow.kind, current: null, previous: null };
  const windowMs = statWindows[input.window];
  const { flowId } = input;
  // one plan for the three reads (on PostgreSQL each is a statement of its own, outside a transaction)
  return deps.storage.read(
    (function* () {
      const previousVersion = yield* nodeStatsQueryPlans.previousVersion(flowId, version);
      return {
        at,
        kind: flow.kind,
        current: yield* nodeStatsQueryPlans.figures(flowId, version, windowMs, at),
        previous:
          previousVersion === null
            ? null
            : yield* nodeStatsQueryPlans.figures(flowId, previousVersion, windowMs, at),
      };
    })(),
  );
}

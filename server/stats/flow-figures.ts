import type { Db } from "../db/client";
import type { FlowStore } from "../flow-store/flow-store";
import { NodeStatsQuery, type StatWindow, statWindows, type VersionFigures } from "./node-stats-query";

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
export function flowFigures(
  deps: { db: Db; flows: FlowStore },
  input: { flowId: string; version?: number | undefined; window: StatWindow },
  at = Date.now(),
): FlowFigures {
  const flow = deps.flows.get(input.flowId);
  const version = input.version ?? flow.latestVersion;
  if (version === null) return { at, kind: flow.kind, current: null, previous: null };
  const q = new NodeStatsQuery(deps.db);
  const windowMs = statWindows[input.window];
  const previousVersion = q.previousVersion(input.flowId, version);
  return {
    at,
    kind: flow.kind,
    current: q.figures(input.flowId, version, windowMs, at),
    previous: previousVersion === null ? null : q.figures(input.flowId, previousVersion, windowMs, at),
  };
}

"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import type { FlowFigures } from "@/server/stats/flow-figures";
import { LiveIndicator, useLive } from "../../monitor/use-live";
import { useTRPC } from "../../trpc/client";
import { controlClass } from "../../ui/field";
import { useEditor } from "../store/context";
import type { OverlayStore } from "./overlay-store";

// The live canvas's controls (issue 15): which published version, over which window, live over
// server-sent events; and how this version compares with the one before it.

const windows = [
  { key: "15m", label: "Last 15 minutes" },
  { key: "1h", label: "Last hour" },
  { key: "24h", label: "Last 24 hours" },
  { key: "7d", label: "Last 7 days" },
] as const;
type WindowKey = (typeof windows)[number]["key"];

export function LiveBar({
  flowId,
  latestVersion,
  overlay,
  initialFigures,
}: {
  flowId: string;
  latestVersion: number;
  overlay: OverlayStore;
  initialFigures?: FlowFigures | undefined;
}) {
  const trpc = useTRPC();
  const [version, setVersion] = useState(latestVersion);
  const [window, setWindow] = useState<WindowKey>("24h");
  const [on, setOn] = useState(true);
  useEffect(() => setVersion(latestVersion), [latestVersion]);
  const versions = useQuery(trpc.flows.versions.queryOptions({ id: flowId }));
  const first = initialFigures && version === latestVersion && window === "24h" ? initialFigures : undefined;
  const figures = useQuery({
    ...trpc.flowStats.figures.queryOptions({ flowId, version, window }),
    enabled: on,
    placeholderData: (prev) => prev,
    // New runs refetch over SSE; this keeps the window sliding when none arrive.
    refetchInterval: 60_000,
    ...(first ? { initialData: first, initialDataUpdatedAt: first.at } : {}),
  });
  const labels = useEditor((s) => s.nodes);

  useEffect(() => {
    const d = figures.data;
    if (!on || !d?.current) {
      overlay.getState().set(null);
      return;
    }
    overlay.getState().set({
      flowId,
      version: d.current.version,
      queue: d.kind === "inbound" || d.kind === "outbound" ? d.kind : null,
      nodes: d.current.nodes,
      ports: d.current.ports,
    });
  }, [figures.data, on, flowId, overlay]);

  // "errors at Update Record: 40 → 0 since v7", for every node with errors in either version.
  const compare = useMemo(() => {
    const d = figures.data;
    if (!d?.current || !d.previous) return [];
    const name = (id: string) => labels.find((n) => n.id === id)?.data.label || id;
    const ids = new Set([...Object.keys(d.current.nodes), ...Object.keys(d.previous.nodes)]);
    return [...ids]
      .map((id) => ({
        id,
        label: name(id),
        before: d.previous?.nodes[id]?.errors ?? 0,
        now: d.current?.nodes[id]?.errors ?? 0,
      }))
      .filter((c) => c.before > 0 || c.now > 0);
  }, [figures.data, labels]);

  return (
    <div
      className="flex flex-wrap items-center gap-2 border-b border-slate-200 bg-white px-3 py-1.5 text-xs"
      data-testid="live-bar"
    >
      <label className="flex items-center gap-1.5 font-medium text-slate-700">
        <input
          type="checkbox"
          checked={on}
          onChange={(e) => setOn(e.target.checked)}
          data-testid="live-toggle"
        />
        Live figures
      </label>
      {on && <LiveSubscription />}
      <select
        aria-label="Version"
        data-testid="live-version"
        className={`${controlClass} h-7 py-0 text-xs`}
        value={version}
        onChange={(e) => setVersion(Number(e.target.value))}
      >
        {(versions.data ?? [{ version: latestVersion }]).map((v) => (
          <option key={v.version} value={v.version}>
            v{v.version}
          </option>
        ))}
      </select>
      <select
        aria-label="Window"
        data-testid="live-window"
        className={`${controlClass} h-7 py-0 text-xs`}
        value={window}
        onChange={(e) => setWindow(e.target.value as WindowKey)}
      >
        {windows.map((w) => (
          <option key={w.key} value={w.key}>
            {w.label}
          </option>
        ))}
      </select>
      {on && figures.data?.previous && (
        <span className="text-slate-600" data-testid="live-compare">
          {compare.length === 0
            ? `No errors in v${figures.data.current?.version} or v${figures.data.previous.version}`
            : compare.map((c) => (
                <span key={c.id} className="mr-3" data-testid={`compare-${c.id}`}>
                  errors at {c.label}: {c.before} → {c.now} since v{figures.data?.previous?.version}
                </span>
              ))}
        </span>
      )}
      {on && figures.isError && <span className="text-red-700">The figures could not be loaded.</span>}
    </div>
  );
}

/** Mounted only while live: holds the SSE connection that refetches the figures on each new run. */
function LiveSubscription() {
  const status = useLive();
  return <LiveIndicator status={status} />;
}

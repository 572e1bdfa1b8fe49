"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTRPC } from "../trpc/client";

// Subscribes to /api/live (server-sent "this changed" ticks) and refetches the tRPC queries that
// show the changed topics. EventSource reconnects by itself; the status says whether we are live.

type Topic = "outbound" | "inbound" | "remotes" | "executions" | "initialSync";
export type LiveStatus = "connecting" | "live" | "offline";

export function useLive(): LiveStatus {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>("connecting");
  useEffect(() => {
    const source = new EventSource("/api/live");
    let pending = new Set<Topic>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Ticks can come several times a second under load; refetch at most every 300 ms.
    const flush = () => {
      timer = undefined;
      const topics = pending;
      pending = new Set();
      if (topics.has("outbound") || topics.has("inbound")) {
        void queryClient.invalidateQueries(trpc.queues.pathFilter());
        void queryClient.invalidateQueries(trpc.correlations.pathFilter());
      }
      if (topics.has("remotes")) void queryClient.invalidateQueries(trpc.syncConfig.overview.pathFilter());
      if (topics.has("executions")) void queryClient.invalidateQueries(trpc.flowStats.pathFilter());
      if (topics.has("initialSync")) void queryClient.invalidateQueries(trpc.initialSync.pathFilter());
      void queryClient.invalidateQueries(trpc.dashboard.pathFilter());
    };
    source.addEventListener("ready", () => setStatus("live"));
    source.addEventListener("change", (e) => {
      const data = JSON.parse((e as MessageEvent<string>).data) as { topics: Topic[] };
      for (const t of data.topics) pending.add(t);
      timer ??= setTimeout(flush, 300);
    });
    source.onerror = () => setStatus(source.readyState === EventSource.CLOSED ? "offline" : "connecting");
    return () => {
      if (timer) clearTimeout(timer);
      source.close();
    };
  }, [trpc, queryClient]);
  return status;
}

export function LiveIndicator({ status }: { status: LiveStatus }) {
  const tone = status === "live" ? "bg-emerald-500" : status === "connecting" ? "bg-amber-400" : "bg-red-500";
  const label = status === "live" ? "Live" : status === "connecting" ? "Connecting…" : "Offline";
  return (
    <span
      data-testid="live-status"
      data-status={status}
      className="inline-flex items-center gap-1.5 text-xs text-slate-500"
    >
      <span
        aria-hidden="true"
        className={`size-2 rounded-full ${tone} ${status === "live" ? "animate-pulse" : ""}`}
      />
      {label}
    </span>
  );
}

"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { type ReactNode, useState } from "react";
import { AlertBanner } from "../alerts/alert-banner";
import { formatDuration } from "../monitor/format";
import { StatusBadge } from "../monitor/status-badge";
import { LiveIndicator, useLive } from "../monitor/use-live";
import { useTRPC } from "../trpc/client";
import { problemOf } from "../trpc/errors";
import { Button } from "../ui/button";
import { Skeleton } from "../ui/skeleton";
import { FirstSyncChecklist } from "./first-sync-checklist";
import { HourChart } from "./hour-chart";
import { type ChartWindow, WindowPicker, windowLabels } from "./window-picker";

/** The operations dashboard (SPEC 6), refreshed live. */
export function DashboardView({
  canOpenQueues,
  canAdminSync,
}: {
  canOpenQueues: boolean;
  /** Sync admins see the first-sync checklist (its steps are theirs to take). */
  canAdminSync: boolean;
}) {
  const trpc = useTRPC();
  const live = useLive();
  const [chartWindow, setChartWindow] = useState<ChartWindow>("24h");
  // The previous window's figures stay up while the next one loads, instead of a skeleton flash.
  const summary = useQuery({
    ...trpc.dashboard.summary.queryOptions({ window: chartWindow }),
    placeholderData: keepPreviousData,
  });
  if (summary.isError) {
    return (
      <div
        role="alert"
        data-testid="dashboard-error"
        className="m-6 rounded border border-red-200 bg-red-50 p-4 text-sm text-red-900"
      >
        The dashboard could not be loaded: {problemOf(summary.error).message}
        <Button className="ml-3" size="sm" onClick={() => summary.refetch()}>
          Retry
        </Button>
      </div>
    );
  }
  const d = summary.data;
  const link = (queue: string, status: string, text: ReactNode) =>
    canOpenQueues ? (
      <Link className="hover:underline" href={`/queues?queue=${queue}&status=${status}`}>
        {text}
      </Link>
    ) : (
      text
    );
  return (
    <div className="flex flex-col gap-4 p-6" data-testid="dashboard">
      <div className="flex items-center justify-end gap-4">
        <WindowPicker value={chartWindow} onChange={setChartWindow} />
        <LiveIndicator status={live} />
      </div>
      <AlertBanner variant="section" />
      {canAdminSync ? <FirstSyncChecklist /> : null}
      <section aria-label="Remote systems" className="rounded-lg border border-slate-200 bg-white">
        <h2 className="border-b border-slate-100 px-4 py-2.5 text-sm font-semibold text-slate-800">
          Remote systems
        </h2>
        {!d ? (
          <div className="p-4" data-testid="dashboard-loading">
            <Skeleton className="h-4 w-1/3" />
          </div>
        ) : d.remotes.length === 0 ? (
          <p className="px-4 py-3 text-sm text-slate-500" data-testid="dashboard-no-remotes">
            No remote systems yet. Pair this instance with another one under Sync configuration.
          </p>
        ) : (
          <ul className="divide-y divide-slate-100">
            {d.remotes.map((r) => {
              const inError = r.outboundState === "error" || r.inboundState === "error";
              return (
                <li
                  key={r.id}
                  data-testid={`dashboard-remote-${r.name}`}
                  data-error={inError}
                  className={`flex flex-wrap items-center gap-3 px-4 py-2 text-sm ${inError ? "bg-red-50" : ""}`}
                >
                  <span className="w-40 font-medium text-slate-800">{r.name}</span>
                  <span className="text-xs text-slate-500">out</span>
                  <StatusBadge status={r.outboundState} />
                  <span className="text-xs text-slate-500">in</span>
                  <StatusBadge status={r.inboundState} />
                  <span className="min-w-0 flex-1 truncate text-xs text-slate-600" title={r.stateMessage}>
                    {r.stateMessage}
                  </span>
                </li>
              );
            })}
          </ul>
        )}
      </section>
      <div className="grid gap-4 lg:grid-cols-2">
        {(["outbound", "inbound"] as const).map((q) => {
          const s = d?.[q];
          return (
            <section
              key={q}
              aria-label={`${q} queue`}
              data-testid={`dashboard-${q}`}
              className="flex flex-col gap-3"
            >
              <h2 className="font-semibold text-slate-700 text-sm uppercase tracking-wide">
                {q === "outbound" ? "Outbound queue" : "Inbound queue"}
              </h2>
              <div className="grid grid-cols-3 gap-2">
                <Stat label="In error" tone={s && s.errors > 0 ? "bad" : "ok"} testId={`stat-${q}-errors`}>
                  {s ? link(q, "error", s.errors) : null}
                </Stat>
                <Stat label="Backlog" testId={`stat-${q}-backlog`}>
                  {s ? link(q, "ready,processing", s.backlog) : null}
                </Stat>
                <Stat label="Processed / min · h · day" testId={`stat-${q}-processed`}>
                  {s ? `${s.processed.minute} · ${s.processed.hour} · ${s.processed.day}` : null}
                </Stat>
                <Stat label="Avg time in queue (1 h)">{s ? formatDuration(s.avgQueueMs) : null}</Stat>
                <Stat label="Avg processing (1 h)">{s ? formatDuration(s.avgProcessingMs) : null}</Stat>
              </div>
              {s ? (
                <HourChart
                  title={`${q === "outbound" ? "Outbound" : "Inbound"} queue`}
                  hours={s.series.buckets}
                  bucketMs={s.series.bucketMs}
                  windowLabel={windowLabels[s.series.window]}
                  testId={`chart-${q}`}
                />
              ) : (
                <Skeleton className="h-44 w-full" />
              )}
            </section>
          );
        })}
      </div>
    </div>
  );
}

function Stat({
  label,
  children,
  tone = "ok",
  testId,
}: {
  label: string;
  children: ReactNode;
  tone?: "ok" | "bad";
  testId?: string;
}) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-3 py-2">
      <p className="text-[11px] text-slate-500">{label}</p>
      <p
        data-testid={testId}
        className={`mt-0.5 text-lg font-semibold tabular-nums ${tone === "bad" ? "text-red-700" : "text-slate-900"}`}
      >
        {children ?? <Skeleton className="mt-1 h-5 w-10" />}
      </p>
    </div>
  );
}

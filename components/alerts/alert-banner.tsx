"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../trpc/client";

// Remote-system alerts (issue 15). The evaluator runs on a timer on the server, so the page polls
// instead of waiting for queue ticks. `banner` sits in the designer's header and shows only firing
// alerts; `section` is the dashboard's list, which also says when all is well.

const POLL_MS = 5_000;

export function AlertBanner({ variant }: { variant: "banner" | "section" }) {
  const trpc = useTRPC();
  const alerts = useQuery({ ...trpc.alerts.list.queryOptions(), refetchInterval: POLL_MS });
  const firing = (alerts.data ?? []).filter((a) => a.state === "firing");
  if (variant === "banner") {
    if (firing.length === 0) return null;
    return (
      <div
        role="alert"
        data-testid="alert-banner"
        className="border-b border-amber-300 bg-amber-50 px-4 py-1.5 text-[12px] text-amber-900"
      >
        {firing.map((a) => (
          <p key={`${a.remoteSystemId}:${a.kind}`} data-testid={`alert-${a.remoteName}-${a.kind}`}>
            <span className="font-semibold">Alert · {a.remoteName}:</span> {a.message}
          </p>
        ))}
      </div>
    );
  }
  return (
    <section
      aria-label="Alerts"
      data-testid="dashboard-alerts"
      className={`rounded-lg border bg-white ${firing.length ? "border-amber-300" : "border-slate-200"}`}
    >
      <h2 className="border-b border-slate-100 px-4 py-2.5 text-sm font-semibold text-slate-800">Alerts</h2>
      {firing.length === 0 ? (
        <p className="px-4 py-3 text-sm text-slate-500" data-testid="dashboard-no-alerts">
          No alert is firing. Thresholds are set on each remote system.
        </p>
      ) : (
        <ul className="divide-y divide-slate-100">
          {firing.map((a) => (
            <li
              key={`${a.remoteSystemId}:${a.kind}`}
              data-testid={`dashboard-alert-${a.remoteName}-${a.kind}`}
              className="flex flex-wrap items-center gap-3 bg-amber-50 px-4 py-2 text-sm text-amber-900"
            >
              <span className="w-40 font-medium">{a.remoteName}</span>
              <span className="text-xs uppercase">{a.kind === "queue_age" ? "queue age" : "error rate"}</span>
              <span className="min-w-0 flex-1">{a.message}</span>
              <span className="text-xs text-amber-700">since {new Date(a.firedAt).toLocaleTimeString()}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../trpc/client";
import { controlClass } from "../ui/field";

export const statuses = ["ready", "processing", "processed", "error", "skipped"] as const;
export type Status = (typeof statuses)[number];

export interface MonitorFilters {
  statuses: Status[];
  remoteId: string;
  processEvent: string;
  /** Minutes back from when the range was picked; 0 = any time. */
  range: number;
  from?: number;
}

export const ranges = [
  { minutes: 0, label: "Any time" },
  { minutes: 15, label: "Last 15 minutes" },
  { minutes: 60, label: "Last hour" },
  { minutes: 1440, label: "Last 24 hours" },
  { minutes: 10080, label: "Last 7 days" },
];

/** Status chips (toggle buttons), remote system, process event and time range. */
export function FilterBar({
  queue,
  value,
  onChange,
}: {
  queue: "outbound" | "inbound";
  value: MonitorFilters;
  onChange: (next: MonitorFilters) => void;
}) {
  const trpc = useTRPC();
  const facets = useQuery(trpc.queues.facets.queryOptions({ queue }));
  const toggle = (s: Status) =>
    onChange({
      ...value,
      statuses: value.statuses.includes(s) ? value.statuses.filter((x) => x !== s) : [...value.statuses, s],
    });
  return (
    <div className="flex flex-wrap items-center gap-2" data-testid="monitor-filters">
      <fieldset className="flex items-center gap-1">
        <legend className="sr-only">Status</legend>
        {statuses.map((s) => {
          const on = value.statuses.includes(s);
          return (
            <button
              key={s}
              type="button"
              aria-pressed={on}
              data-testid={`filter-status-${s}`}
              onClick={() => toggle(s)}
              className={`h-7 rounded-full border px-2.5 text-xs font-medium outline-none focus-visible:ring-2 focus-visible:ring-brand-500 ${
                on
                  ? "border-brand-700 bg-brand-700 text-white"
                  : "border-slate-300 bg-white text-slate-700 hover:bg-slate-50"
              }`}
            >
              {s}
            </button>
          );
        })}
      </fieldset>
      <label className="sr-only" htmlFor="filter-remote">
        Remote system
      </label>
      <select
        id="filter-remote"
        className={`${controlClass} h-7 py-0 text-xs`}
        value={value.remoteId}
        onChange={(e) => onChange({ ...value, remoteId: e.target.value })}
      >
        <option value="">All remote systems</option>
        {facets.data?.remotes.map((r) => (
          <option key={r.id} value={r.id}>
            {r.name}
          </option>
        ))}
      </select>
      <label className="sr-only" htmlFor="filter-event">
        Process event
      </label>
      <select
        id="filter-event"
        className={`${controlClass} h-7 py-0 text-xs`}
        value={value.processEvent}
        onChange={(e) => onChange({ ...value, processEvent: e.target.value })}
      >
        <option value="">All process events</option>
        {facets.data?.events.map((e) => (
          <option key={e} value={e}>
            {e}
          </option>
        ))}
      </select>
      <label className="sr-only" htmlFor="filter-range">
        Time
      </label>
      <select
        id="filter-range"
        className={`${controlClass} h-7 py-0 text-xs`}
        value={value.range}
        onChange={(e) => {
          const minutes = Number(e.target.value);
          // The bound is fixed when picked, so new rows keep appearing in a live view.
          onChange({ ...value, range: minutes, from: minutes ? Date.now() - minutes * 60_000 : undefined });
        }}
      >
        {ranges.map((r) => (
          <option key={r.minutes} value={r.minutes}>
            {r.label}
          </option>
        ))}
      </select>
    </div>
  );
}

"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo, useState } from "react";
import { useTRPC } from "../trpc/client";
import { problemOf } from "../trpc/errors";
import { Button } from "../ui/button";
import { EmptyState } from "../ui/empty-state";
import { TableSkeleton } from "../ui/skeleton";
import { FilterBar, type MonitorFilters, type Status, statuses } from "./filters";
import { formatTime, localizeWaiting } from "./format";
import { QueueActions } from "./queue-actions";
import { RowDrawer } from "./row-drawer";
import { StatusBadge } from "./status-badge";
import { LiveIndicator, useLive } from "./use-live";

type Queue = "outbound" | "inbound";
const pageSize = 100;

/** Live outbound/inbound queue monitor (SPEC 6). The queue and status filter live in the URL. */
export function QueueMonitor() {
  const trpc = useTRPC();
  const live = useLive();
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const queue: Queue = params.get("queue") === "inbound" ? "inbound" : "outbound";
  const initialStatuses = (params.get("status")?.split(",") ?? []).filter((s): s is Status =>
    (statuses as readonly string[]).includes(s),
  );
  const [filters, setFilters] = useState<MonitorFilters>({
    statuses: initialStatuses,
    remoteId: params.get("remote") ?? "",
    processEvent: "",
    range: 0,
  });
  // Set by the live canvas's error count: rows whose execution failed at that node.
  const failedAt = useMemo(() => {
    const flowId = params.get("flow");
    const nodeId = params.get("node");
    const version = Number(params.get("version"));
    if (!flowId || !nodeId) return undefined;
    return { flowId, nodeId, ...(Number.isInteger(version) && version > 0 ? { version } : {}) };
  }, [params]);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [open, setOpen] = useState<number | null>(params.get("row") ? Number(params.get("row")) : null);

  const input = useMemo(
    () => ({
      queue,
      limit: pageSize,
      ...(filters.statuses.length ? { statuses: filters.statuses } : {}),
      ...(filters.remoteId ? { remoteId: filters.remoteId } : {}),
      ...(filters.processEvent ? { processEvent: filters.processEvent } : {}),
      ...(filters.from ? { from: filters.from } : {}),
      ...(failedAt ? { failedAt } : {}),
    }),
    [queue, filters, failedAt],
  );
  const list = useQuery({ ...trpc.queues.list.queryOptions(input), placeholderData: (prev) => prev });
  const rows = list.data?.rows ?? [];

  const switchQueue = (q: Queue) => {
    setSelected(new Set());
    setOpen(null);
    router.replace(`${pathname}?queue=${q}`);
  };
  const toggle = (id: number) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const allOnPage = rows.length > 0 && rows.every((r) => selected.has(r.id));
  const close = useCallback(() => setOpen(null), []);

  return (
    <div className="flex flex-col gap-3 p-6" data-testid={`monitor-${queue}`}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div
          role="tablist"
          aria-label="Queue"
          className="flex rounded border border-slate-300 bg-white p-0.5"
        >
          {(["outbound", "inbound"] as const).map((q) => (
            <button
              key={q}
              role="tab"
              type="button"
              aria-selected={q === queue}
              data-testid={`tab-${q}`}
              onClick={() => switchQueue(q)}
              className={`h-7 rounded px-3 text-sm font-medium capitalize outline-none focus-visible:ring-2 focus-visible:ring-brand-500 ${
                q === queue ? "bg-slate-900 text-white" : "text-slate-600 hover:bg-slate-100"
              }`}
            >
              {q}
            </button>
          ))}
        </div>
        <LiveIndicator status={live} />
      </div>
      <FilterBar
        queue={queue}
        value={filters}
        onChange={(f) => {
          setFilters(f);
          setSelected(new Set());
        }}
      />
      {failedAt ? (
        <div
          className="flex items-center gap-2 rounded border border-red-200 bg-red-50 px-3 py-1.5 text-sm text-red-900"
          data-testid="failed-at-filter"
        >
          <span>
            Rows whose flow run failed at node <span className="font-mono">{failedAt.nodeId}</span>
            {failedAt.version ? ` (version ${failedAt.version})` : ""}
          </span>
          <Link href={`/flows/${failedAt.flowId}`} className="text-red-800 underline">
            Back to the flow
          </Link>
          <Button
            size="sm"
            variant="ghost"
            onClick={() => router.replace(`${pathname}?queue=${queue}`)}
            data-testid="clear-failed-at"
          >
            Show all rows
          </Button>
        </div>
      ) : null}
      {selected.size > 0 ? (
        <div
          className="flex items-center gap-2 rounded border border-brand-100 bg-brand-50 px-3 py-1.5 text-sm"
          data-testid="bulk-bar"
        >
          <span className="text-slate-700">{selected.size} selected</span>
          <QueueActions
            queue={queue}
            ids={[...selected]}
            testPrefix="bulk"
            onDone={() => setSelected(new Set())}
          />
          <Button size="sm" variant="ghost" onClick={() => setSelected(new Set())}>
            Clear
          </Button>
        </div>
      ) : null}
      {list.isError ? (
        <div
          role="alert"
          data-testid="monitor-error"
          className="rounded border border-red-200 bg-red-50 p-4 text-sm text-red-900"
        >
          The queue could not be loaded: {problemOf(list.error).message}
          <Button className="ml-3" size="sm" onClick={() => list.refetch()}>
            Retry
          </Button>
        </div>
      ) : !list.isPending && rows.length === 0 ? (
        <EmptyState
          testId="monitor-empty"
          title={`No ${queue} rows${filters.statuses.length ? ` that are ${filters.statuses.join(" or ")}` : ""}`}
        >
          {queue === "outbound"
            ? "Captured changes appear here as they are queued for remote systems, and change state live."
            : "Messages from remote systems appear here as they arrive, and change state live."}
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-xs" data-testid="monitor-table">
            <thead className="border-b border-slate-200 bg-slate-50 text-[11px] text-slate-500 uppercase">
              <tr>
                <th className="w-8 px-3 py-2">
                  <input
                    type="checkbox"
                    aria-label="Select all rows on this page"
                    checked={allOnPage}
                    onChange={() => setSelected(allOnPage ? new Set() : new Set(rows.map((r) => r.id)))}
                  />
                </th>
                <th className="px-2 py-2">{queue === "outbound" ? "Id" : "Seq"}</th>
                <th className="px-2 py-2">Status</th>
                <th className="px-2 py-2">Process event</th>
                <th className="px-2 py-2">Remote</th>
                <th className="px-2 py-2">Op</th>
                <th className="px-2 py-2">{queue === "outbound" ? "Record" : "Correlation"}</th>
                <th className="px-2 py-2 text-right">Attempts</th>
                <th className="px-2 py-2">{queue === "outbound" ? "Created" : "Received"}</th>
                <th className="px-2 py-2">Why / error</th>
              </tr>
            </thead>
            {list.isPending ? (
              <TableSkeleton columns={10} />
            ) : (
              <tbody>
                {rows.map((r) => (
                  <tr
                    key={r.id}
                    data-testid={`row-${r.id}`}
                    data-status={r.status}
                    onClick={() => setOpen(r.id)}
                    className={`cursor-pointer border-b border-slate-100 hover:bg-slate-50 ${open === r.id ? "bg-brand-50" : ""}`}
                  >
                    <td
                      className="px-3 py-1.5"
                      onClick={(e) => e.stopPropagation()}
                      onKeyDown={(e) => e.stopPropagation()}
                    >
                      <input
                        type="checkbox"
                        aria-label={`Select row ${r.id}`}
                        checked={selected.has(r.id)}
                        onChange={() => toggle(r.id)}
                      />
                    </td>
                    <td className="px-2 py-1.5 font-mono">
                      <button
                        type="button"
                        className="text-brand-700 outline-none hover:underline focus-visible:ring-2 focus-visible:ring-brand-500"
                        onClick={(e) => {
                          e.stopPropagation();
                          setOpen(r.id);
                        }}
                        aria-label={`Open row ${r.id}`}
                      >
                        {r.id}
                      </button>
                    </td>
                    <td className="px-2 py-1.5">
                      <StatusBadge status={r.status} />
                    </td>
                    <td className="px-2 py-1.5">{r.processEvent}</td>
                    <td className="px-2 py-1.5">{r.remoteName}</td>
                    <td className="px-2 py-1.5">{r.operation}</td>
                    <td className="px-2 py-1.5 font-mono text-[11px]">
                      {r.tableName && r.recordSysId ? (
                        <Link
                          onClick={(e) => e.stopPropagation()}
                          className="text-slate-700 hover:underline"
                          href={`/records/${r.tableName}/${r.recordSysId}`}
                        >
                          {r.tableName}/{r.recordSysId.slice(0, 8)}
                        </Link>
                      ) : (
                        (r.correlation?.slice(0, 8) ?? "—")
                      )}
                    </td>
                    <td className="px-2 py-1.5 text-right tabular-nums" data-testid={`attempts-${r.id}`}>
                      {r.attempts}
                    </td>
                    <td className="px-2 py-1.5 whitespace-nowrap text-slate-500">
                      {formatTime(r.createdAt)}
                    </td>
                    <td className="max-w-[28rem] truncate px-2 py-1.5" title={r.lastError ?? r.waiting ?? ""}>
                      {r.status === "error" && r.lastError ? (
                        <span className="text-red-700">{r.lastError}</span>
                      ) : (
                        <span className="text-amber-800">{localizeWaiting(r.waiting) ?? ""}</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            )}
          </table>
          {list.data?.more ? (
            <p className="border-t border-slate-100 px-3 py-2 text-xs text-slate-500">
              Showing the newest {pageSize} rows; narrow the filters to see older ones.
            </p>
          ) : null}
        </div>
      )}
      {open !== null ? <RowDrawer key={`${queue}-${open}`} queue={queue} id={open} onClose={close} /> : null}
    </div>
  );
}

"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { formatTime } from "../../monitor/format";
import { StatusBadge } from "../../monitor/status-badge";
import { useTRPC } from "../../trpc/client";
import { problemOf } from "../../trpc/errors";
import { Skeleton } from "../../ui/skeleton";
import { Section } from "./section";

/** The record's sync: its correlations and its outbound/inbound queue rows (SPEC 6). */
export function SyncPanel({ table, sysId }: { table: string; sysId: string }) {
  const trpc = useTRPC();
  const data = useQuery(trpc.correlations.ofRecord.queryOptions({ table, sysId }));
  const d = data.data;
  const history = d
    ? [
        ...d.outbound.map((r) => ({ ...r, queue: "outbound" as const })),
        ...d.inbound.map((r) => ({ ...r, queue: "inbound" as const })),
      ].sort((a, b) => b.at - a.at)
    : [];
  return (
    <Section title="Sync" count={d ? d.correlations.length : undefined} testId="sync-panel">
      {data.isError ? (
        <p role="alert" className="text-sm text-red-700">
          Sync information could not be loaded: {problemOf(data.error).message}
        </p>
      ) : !d ? (
        <div className="space-y-2" data-testid="sync-panel-loading">
          <Skeleton className="h-3 w-1/2" />
          <Skeleton className="h-3 w-1/3" />
        </div>
      ) : d.correlations.length === 0 && history.length === 0 ? (
        <p className="text-sm text-slate-500" data-testid="sync-panel-empty">
          This record is not synchronised with any remote system.
        </p>
      ) : (
        <div className="flex flex-col gap-4 text-xs">
          <table className="w-full text-left" data-testid="sync-correlations">
            <thead className="text-[11px] text-slate-500 uppercase">
              <tr>
                <th className="py-1 pr-3">Remote system</th>
                <th className="py-1 pr-3">Local correlation</th>
                <th className="py-1 pr-3">Remote correlation</th>
                <th className="py-1 pr-3">State</th>
                <th className="py-1 pr-3">Last synced</th>
                <th className="py-1">Stale fields skipped</th>
              </tr>
            </thead>
            <tbody>
              {d.correlations.map((k) => (
                <tr key={k.localCorrelationId} className="border-t border-slate-100">
                  <td className="py-1 pr-3 font-medium">{k.remoteName}</td>
                  <td className="py-1 pr-3 font-mono">{k.localCorrelationId}</td>
                  <td className="py-1 pr-3 font-mono">{k.remoteCorrelationId ?? "—"}</td>
                  <td className="py-1 pr-3">
                    <StatusBadge status={k.state} />
                  </td>
                  <td className="py-1 pr-3">{formatTime(k.lastSyncedAt)}</td>
                  <td className="py-1 tabular-nums">{k.staleFieldsSkipped}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table className="w-full text-left" data-testid="sync-history">
            <thead className="text-[11px] text-slate-500 uppercase">
              <tr>
                <th className="py-1 pr-3">When</th>
                <th className="py-1 pr-3">Queue</th>
                <th className="py-1 pr-3">Row</th>
                <th className="py-1 pr-3">Status</th>
                <th className="py-1 pr-3">Event · remote</th>
                <th className="py-1 pr-3">Op</th>
                <th className="py-1">Error / execution</th>
              </tr>
            </thead>
            <tbody>
              {history.map((r) => (
                <tr
                  key={`${r.queue}-${r.id}`}
                  className="border-t border-slate-100"
                  data-testid={`sync-row-${r.queue}`}
                >
                  <td className="py-1 pr-3 whitespace-nowrap">{formatTime(r.at)}</td>
                  <td className="py-1 pr-3">{r.queue === "outbound" ? "→ out" : "← in"}</td>
                  <td className="py-1 pr-3 font-mono">
                    <Link
                      className="text-brand-700 hover:underline"
                      href={`/queues?queue=${r.queue}&row=${r.id}`}
                    >
                      {r.id}
                    </Link>
                  </td>
                  <td className="py-1 pr-3">
                    <StatusBadge status={r.status} />
                  </td>
                  <td className="py-1 pr-3">
                    {r.processEvent} · {r.remoteName}
                  </td>
                  <td className="py-1 pr-3">{r.operation}</td>
                  <td className="max-w-xs truncate py-1">
                    {r.lastError ? <span className="text-red-700">{r.lastError} </span> : null}
                    {r.executionId ? (
                      <Link className="text-brand-700 hover:underline" href={`/executions/${r.executionId}`}>
                        execution
                      </Link>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}

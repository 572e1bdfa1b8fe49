"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { formatTime } from "../monitor/format";
import { StatusBadge } from "../monitor/status-badge";
import { useLive } from "../monitor/use-live";
import { useTRPC } from "../trpc/client";
import { problemOf } from "../trpc/errors";
import { buttonClass } from "../ui/button";
import { EmptyState } from "../ui/empty-state";
import { TableSkeleton } from "../ui/skeleton";

/** Every initial sync job of this instance, newest first, updating live. */
export function JobList() {
  const trpc = useTRPC();
  useLive();
  const jobs = useQuery(trpc.initialSync.list.queryOptions());
  if (jobs.isPending) return <TableSkeleton columns={5} />;
  if (jobs.isError) {
    return (
      <p role="alert" className="m-6 text-sm text-red-700">
        The jobs could not be loaded: {problemOf(jobs.error).message}
      </p>
    );
  }
  if (jobs.data.length === 0) {
    return (
      <div className="p-6">
        <EmptyState
          title="No initial sync yet"
          testId="initial-sync-empty"
          action={
            <Link className={buttonClass("primary")} href="/sync/initial-sync/new">
              New initial sync
            </Link>
          }
        >
          Bring the records that existed before the pair was set up across: new ones are created on the other
          side, the ones it already holds are linked.
        </EmptyState>
      </div>
    );
  }
  return (
    <div className="p-6">
      <table className="w-full rounded-lg border border-slate-200 bg-white text-left text-sm">
        <thead className="border-b border-slate-200 text-xs text-slate-500">
          <tr>
            <th className="px-3 py-2 font-medium">Started</th>
            <th className="px-3 py-2 font-medium">Table</th>
            <th className="px-3 py-2 font-medium">Condition</th>
            <th className="px-3 py-2 font-medium">Records</th>
            <th className="px-3 py-2 font-medium">Status</th>
          </tr>
        </thead>
        <tbody>
          {jobs.data.map((j) => (
            <tr key={j.id} className="border-t border-slate-100">
              <td className="px-3 py-2">
                <Link className="text-brand-700 underline" href={`/sync/initial-sync/${j.id}`}>
                  {formatTime(j.createdAt)}
                </Link>{" "}
                <span className="text-slate-500">by {j.createdBy}</span>
              </td>
              <td className="px-3 py-2">
                {j.tableName}
                {j.direction === "pull" ? <span className="text-slate-500"> · brought here</span> : null}
              </td>
              <td className="px-3 py-2 font-mono text-xs">{j.condition || "every record"}</td>
              <td className="px-3 py-2 tabular-nums">{j.total.toLocaleString()}</td>
              <td className="px-3 py-2">
                <StatusBadge status={j.status} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

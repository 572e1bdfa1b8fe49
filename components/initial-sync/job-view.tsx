"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { formatTime } from "../monitor/format";
import { StatusBadge } from "../monitor/status-badge";
import { LiveIndicator, useLive } from "../monitor/use-live";
import { useTRPC } from "../trpc/client";
import { problemOf } from "../trpc/errors";
import { Button } from "../ui/button";
import { ConfirmDialog } from "../ui/confirm-dialog";
import { PageHeader } from "../ui/page-header";
import { Skeleton } from "../ui/skeleton";
import { toast } from "../ui/toast";

type Outcome = "created" | "linked" | "unchanged" | "conflicts" | "errors";
const outcomes: Array<{ key: Outcome; label: string }> = [
  { key: "created", label: "Created" },
  { key: "linked", label: "Linked" },
  { key: "unchanged", label: "Unchanged" },
  { key: "conflicts", label: "Conflicts" },
  { key: "errors", label: "Errors" },
];

function formatEta(seconds: number | null): string {
  if (seconds === null) return "—";
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  if (seconds < 3600) return `${Math.ceil(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** One initial sync job: live progress, pause / resume / cancel, the report and its audit trail. */
export function JobView({ id }: { id: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const live = useLive();
  const job = useQuery(trpc.initialSync.get.queryOptions({ id }));
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [shown, setShown] = useState<Outcome>("created");
  const done = () => void queryClient.invalidateQueries(trpc.initialSync.pathFilter());
  const onError = (error: unknown) => toast("error", problemOf(error).message);
  const pause = useMutation(trpc.initialSync.pause.mutationOptions({ onSuccess: done, onError }));
  const resume = useMutation(trpc.initialSync.resume.mutationOptions({ onSuccess: done, onError }));
  const cancel = useMutation(
    trpc.initialSync.cancel.mutationOptions({
      onSuccess: () => {
        setConfirmCancel(false);
        done();
      },
      onError,
    }),
  );

  if (job.isPending) return <Skeleton className="m-6 h-64" />;
  if (job.isError) {
    return (
      <div role="alert" className="m-6 rounded border border-red-200 bg-red-50 p-4 text-sm text-red-900">
        {problemOf(job.error).message}{" "}
        <Link className="underline" href="/sync/initial-sync">
          Back to initial syncs
        </Link>
      </div>
    );
  }
  const j = job.data;
  const p = j.remoteProgress;
  const percent = j.total > 0 ? Math.min(100, Math.round((j.done / j.total) * 100)) : 100;
  const figures = j.report ?? {
    created: p?.created ?? 0,
    linked: p?.linked ?? 0,
    unchanged: p?.unchanged ?? 0,
    conflicts: p?.conflicts ?? 0,
    errors: (p?.errors ?? 0) + j.local.error,
  };
  const open = j.status === "running" || j.status === "paused";
  // A pull job runs on the remote: what it sent is its figure; the outcomes are this instance's.
  const pulled = j.direction === "pull";
  return (
    <>
      <PageHeader
        title={pulled ? `Initial sync from ${j.remoteName}` : `Initial sync to ${j.remoteName}`}
        subtitle={`${j.definitionName} · ${j.tableName} · ${j.condition || "every record"} · ${
          j.mode === "link" ? `link by ${j.linkField}` : "create"
        }`}
        actions={
          <>
            <LiveIndicator status={live} />
            {j.status === "running" ? (
              <Button onClick={() => pause.mutate({ id })} disabled={pause.isPending}>
                Pause
              </Button>
            ) : null}
            {j.status === "paused" ? (
              <Button variant="primary" onClick={() => resume.mutate({ id })} disabled={resume.isPending}>
                Resume
              </Button>
            ) : null}
            {open ? (
              <Button variant="danger" onClick={() => setConfirmCancel(true)}>
                Cancel job
              </Button>
            ) : null}
          </>
        }
      >
        <div className="mt-2 flex items-center gap-2 text-xs text-slate-500">
          <StatusBadge status={j.status} testId="initial-sync-status" />
          <span>
            Started by {j.createdBy} at {formatTime(j.createdAt)}
            {j.finishedAt ? ` · finished at ${formatTime(j.finishedAt)}` : ""}
          </span>
        </div>
      </PageHeader>
      <div className="flex flex-col gap-4 p-6">
        {j.lastError && open ? (
          <p role="alert" className="rounded border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">
            {j.lastError}
          </p>
        ) : null}
        <section aria-label="Progress" className="rounded-lg border border-slate-200 bg-white p-4">
          <div className="flex items-baseline justify-between text-sm">
            <span data-testid="initial-sync-done" className="font-medium text-slate-900">
              {j.done.toLocaleString()} / {j.total.toLocaleString()} done
            </span>
            <span className="text-slate-500">{percent}%</span>
          </div>
          <div
            role="progressbar"
            aria-label="Records done"
            aria-valuemin={0}
            aria-valuemax={j.total}
            aria-valuenow={j.done}
            className="mt-2 h-2 overflow-hidden rounded bg-slate-100"
          >
            <div className="h-full bg-brand-700 transition-all" style={{ width: `${percent}%` }} />
          </div>
          <dl className="mt-3 grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
            <Figure
              label={pulled ? `Sent by ${j.remoteName}` : "Sent"}
              value={(pulled ? j.enqueued : j.local.processed).toLocaleString()}
            />
            <Figure
              label="Rate"
              value={j.ratePerSecond ? `${Math.round(j.ratePerSecond).toLocaleString()}/s` : "—"}
            />
            <Figure label="Time left" value={open ? formatEta(j.etaSeconds) : "—"} />
            <Figure
              label="Errors"
              value={figures.errors.toLocaleString()}
              testId="initial-sync-error-count"
            />
          </dl>
        </section>
        <section
          aria-label={j.report ? "Report" : "So far"}
          className="rounded-lg border border-slate-200 bg-white"
        >
          <h2 className="border-b border-slate-200 px-4 py-2 text-sm font-semibold text-slate-800">
            {j.report ? "Report" : "So far"}
          </h2>
          <div
            role="tablist"
            aria-label="Outcomes"
            className="flex flex-wrap gap-1 border-b border-slate-200 px-2 py-1"
          >
            {outcomes.map((o) => (
              <button
                key={o.key}
                type="button"
                role="tab"
                aria-selected={shown === o.key}
                data-testid={`initial-sync-${o.key}`}
                onClick={() => setShown(o.key)}
                className={`rounded px-2 py-1 text-sm ${shown === o.key ? "bg-slate-100 font-medium text-slate-900" : "text-slate-600 hover:bg-slate-50"}`}
              >
                {o.label} <span className="tabular-nums">{figures[o.key].toLocaleString()}</span>
              </button>
            ))}
          </div>
          <div role="tabpanel" className="max-h-[32rem] overflow-auto p-4 text-sm">
            {j.report ? (
              <Items
                items={j.report.items[shown]}
                total={figures[shown]}
                table={j.tableName}
                remote={j.remoteName}
                pulled={pulled}
              />
            ) : (
              <p className="text-slate-500">
                The records of each outcome are listed here once the job has finished.
              </p>
            )}
          </div>
        </section>
        <section aria-label="Audit trail" className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 className="mb-2 text-sm font-semibold text-slate-800">Audit trail</h2>
          <ol className="flex flex-col gap-1 text-sm text-slate-700">
            {j.events.map((e) => (
              <li key={`${e.at}-${e.action}`}>
                <span className="text-slate-500">{formatTime(e.at)}</span> · {e.action} by {e.user}
                {e.detail ? <span className="text-slate-500"> · {describeDetail(e.detail)}</span> : null}
              </li>
            ))}
          </ol>
        </section>
      </div>
      <ConfirmDialog
        open={confirmCancel}
        title="Cancel this initial sync?"
        confirmLabel="Cancel job"
        busy={cancel.isPending}
        onConfirm={() => cancel.mutate({ id })}
        onCancel={() => setConfirmCancel(false)}
      >
        Records not sent yet are skipped; what the remote already holds stays. You can start a new job later.
      </ConfirmDialog>
    </>
  );
}

function describeDetail(detail: Record<string, unknown>): string {
  return Object.entries(detail)
    .filter(([, v]) => v !== null && v !== "")
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(", ");
}

function Figure({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div>
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd data-testid={testId} className="font-medium tabular-nums text-slate-900">
        {value}
      </dd>
    </div>
  );
}

function Items({
  items,
  total,
  table,
  remote,
  pulled,
}: {
  items: Array<{ sourceSysId: string; label: string; localSysId: string | null; detail: string | null }>;
  total: number;
  table: string;
  remote: string;
  /** The records came from the remote: the source is there, the local record here. */
  pulled: boolean;
}) {
  if (items.length === 0) return <p className="text-slate-500">None.</p>;
  return (
    <>
      <table className="w-full text-left text-sm">
        <thead className="text-xs text-slate-500">
          <tr>
            <th className="py-1 font-medium">Record here</th>
            <th className="py-1 font-medium">Value</th>
            <th className="py-1 font-medium">On {remote}</th>
            <th className="py-1 font-medium">Detail</th>
          </tr>
        </thead>
        <tbody>
          {items.map((i) => {
            const here = pulled ? i.localSysId : i.sourceSysId;
            const there = pulled ? i.sourceSysId : i.localSysId;
            return (
              <tr key={`${i.sourceSysId}-${i.localSysId ?? ""}`} className="border-t border-slate-100">
                <td className="py-1">
                  {here ? (
                    <Link
                      className="font-mono text-xs text-brand-700 underline"
                      href={`/records/${table}/${here}`}
                    >
                      {here}
                    </Link>
                  ) : (
                    "—"
                  )}
                </td>
                <td className="py-1">{i.label || "—"}</td>
                <td className="py-1 font-mono text-xs">{there ?? "—"}</td>
                <td className="py-1 text-slate-600">{i.detail ?? ""}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {total > items.length ? (
        <p className="mt-2 text-xs text-slate-500">
          The first {items.length.toLocaleString()} of {total.toLocaleString()} are listed.
        </p>
      ) : null}
    </>
  );
}

"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef } from "react";
import { useTRPC } from "../trpc/client";
import { problemOf } from "../trpc/errors";
import { Button } from "../ui/button";
import { CodeBlock } from "../ui/code-block";
import { Skeleton } from "../ui/skeleton";
import { formatDuration, formatTime, localizeWaiting } from "./format";
import { QueueActions } from "./queue-actions";
import { StatusBadge } from "./status-badge";

type Queue = "outbound" | "inbound";

/** The details of one queue row beside the list: why it waits, error, timing, history, payload. */
export function RowDrawer({ queue, id, onClose }: { queue: Queue; id: number; onClose: () => void }) {
  const trpc = useTRPC();
  const row = useQuery(trpc.queues.row.queryOptions({ queue, id }));
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    ref.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      // A confirmation opened from the drawer takes Escape for itself.
      if (e.key === "Escape" && !document.querySelector('[role="alertdialog"], [role="dialog"]')) onClose();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);
  const r = row.data;
  return (
    <aside
      ref={ref}
      tabIndex={-1}
      aria-label={`${queue} row ${id}`}
      data-testid="row-drawer"
      className="fixed top-12 right-0 bottom-0 z-30 flex w-[34rem] max-w-full flex-col border-l border-slate-200 bg-white shadow-xl outline-none"
    >
      <header className="flex items-center justify-between gap-2 border-b border-slate-200 px-4 py-3">
        <div className="flex items-center gap-2">
          <h2 className="text-sm font-semibold text-slate-900">
            {queue === "outbound" ? "Outbound" : "Inbound"} row {id}
          </h2>
          {r ? <StatusBadge status={r.status} testId="drawer-status" /> : null}
        </div>
        <div className="flex items-center gap-2">
          {r ? (
            <Link
              href={`/flows/try/${queue}/${id}`}
              data-testid="drawer-try-draft"
              className="rounded border border-slate-300 px-2 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50"
              title="Run the flow's draft on this row's real inputs; nothing is written"
            >
              Try with draft
            </Link>
          ) : null}
          {r ? <QueueActions queue={queue} ids={[id]} testPrefix="drawer" /> : null}
          <Button variant="ghost" size="sm" onClick={onClose} aria-label="Close details">
            ✕
          </Button>
        </div>
      </header>
      <div className="flex-1 space-y-4 overflow-y-auto px-4 py-3 text-sm">
        {row.isPending ? (
          <div className="space-y-2" data-testid="drawer-loading">
            <Skeleton className="h-4 w-2/3" />
            <Skeleton className="h-4 w-1/2" />
            <Skeleton className="h-32 w-full" />
          </div>
        ) : row.isError ? (
          <p role="alert" className="text-red-700">
            Could not load the row: {problemOf(row.error).message}
          </p>
        ) : !r ? (
          <p className="text-slate-500">This row no longer exists (purged after its retention).</p>
        ) : (
          <>
            {r.waiting ? (
              <p
                data-testid="drawer-waiting"
                className="rounded border border-amber-200 bg-amber-50 px-3 py-2 text-amber-900"
              >
                <span className="font-medium">Waiting: </span>
                {localizeWaiting(r.waiting)}
              </p>
            ) : null}
            {r.lastError ? (
              <div
                data-testid="drawer-error"
                className="rounded border border-red-200 bg-red-50 px-3 py-2 text-red-900"
              >
                <p className="font-medium">Last error</p>
                <p className="mt-0.5 break-words whitespace-pre-wrap">{r.lastError}</p>
              </div>
            ) : null}
            <dl className="grid grid-cols-[9rem_1fr] gap-x-3 gap-y-1 text-xs">
              <Term label="Process event">{r.processEvent}</Term>
              <Term label="Remote system">{r.remoteName}</Term>
              <Term label="Operation">{r.operation}</Term>
              {r.tableName && r.recordSysId ? (
                <Term label="Record">
                  <Link
                    className="text-brand-700 hover:underline"
                    href={`/records/${r.tableName}/${r.recordSysId}`}
                  >
                    {r.tableName} {r.recordSysId.slice(0, 8)}
                  </Link>
                </Term>
              ) : null}
              {r.localCorrelationId ? <Term label="Local correlation">{r.localCorrelationId}</Term> : null}
              {r.remoteCorrelationId ? <Term label="Remote correlation">{r.remoteCorrelationId}</Term> : null}
              <Term label="Lane">
                {r.laneKey} · #{r.laneSeq}
              </Term>
              <Term label="Message id">{r.messageId}</Term>
              <Term label="Attempts">{r.attempts}</Term>
              {r.status === "ready" && r.nextAttemptAt && r.nextAttemptAt > r.createdAt && r.attempts > 0 ? (
                <Term label="Next attempt at">
                  <span data-testid="drawer-next-attempt">{formatTime(r.nextAttemptAt)}</span>
                </Term>
              ) : null}
              <Term label="Created">{formatTime(r.createdAt)}</Term>
              <Term label="Time in queue">
                {r.startedAt ? formatDuration(r.startedAt - r.createdAt) : "not started"}
              </Term>
              <Term label="Processing time">{formatDuration(r.processingMs)}</Term>
              <Term label="Finished">{formatTime(r.finishedAt)}</Term>
              <Term label="Flow execution">
                {r.executionId ? (
                  <Link
                    data-testid="drawer-execution"
                    className="text-brand-700 hover:underline"
                    href={`/executions/${r.executionId}`}
                  >
                    Open execution{r.flowVersion ? ` (v${r.flowVersion})` : ""}
                  </Link>
                ) : (
                  "none yet"
                )}
              </Term>
            </dl>
            <History title="Retry history" testId="drawer-retries" empty="No attempts yet">
              {r.retryHistory.map((h, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: attempts are append-only
                <li key={i} className="flex gap-2">
                  <span className="w-20 shrink-0 text-slate-500">{formatTime(h.at)}</span>
                  <StatusBadge status={h.outcome === "retry" ? "ready" : h.outcome} />
                  <span className="min-w-0 break-words text-slate-700">{h.error ?? ""}</span>
                </li>
              ))}
            </History>
            <History title="Actions" testId="drawer-actions" empty="Nobody reprocessed or skipped this row">
              {r.actions.map((a) => (
                <li key={`${a.at}-${a.action}`} className="flex gap-2">
                  <span className="w-20 shrink-0 text-slate-500">{formatTime(a.at)}</span>
                  <span>
                    <span className="font-medium text-slate-800">{a.user}</span>{" "}
                    {a.action === "skip" ? "skipped" : "reprocessed"} the row
                    {a.detail ? <span className="text-slate-500"> {a.detail}</span> : null}
                  </span>
                </li>
              ))}
            </History>
            <section aria-label="Payload">
              <h3 className="mb-1 text-xs font-semibold text-slate-600 uppercase">Payload</h3>
              <CodeBlock
                label="Payload JSON"
                testId="drawer-payload"
                className="max-h-96 rounded p-3 text-[11px] leading-snug"
              >
                {r.payload}
              </CodeBlock>
            </section>
          </>
        )}
      </div>
    </aside>
  );
}

function Term({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <>
      <dt className="text-slate-500">{label}</dt>
      <dd className="min-w-0 truncate text-slate-800">{children}</dd>
    </>
  );
}

function History({
  title,
  testId,
  empty,
  children,
}: {
  title: string;
  testId: string;
  empty: string;
  children: React.ReactNode[];
}) {
  return (
    <section aria-label={title}>
      <h3 className="mb-1 text-xs font-semibold text-slate-600 uppercase">{title}</h3>
      {children.length ? (
        <ol data-testid={testId} className="space-y-1 text-xs">
          {children}
        </ol>
      ) : (
        <p data-testid={testId} className="text-xs text-slate-500">
          {empty}
        </p>
      )}
    </section>
  );
}

"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { FlowView } from "../editor/flow-view";
import { formatDuration, formatTime } from "../monitor/format";
import { StatusBadge } from "../monitor/status-badge";
import { useTRPC } from "../trpc/client";
import { problemOf } from "../trpc/errors";
import { Button } from "../ui/button";
import { CodeBlock } from "../ui/code-block";
import { EmptyState } from "../ui/empty-state";
import { PageHeader } from "../ui/page-header";
import { Skeleton } from "../ui/skeleton";

// The flow execution view (SPEC 6): the graph of the version that ran, decorated with the step
// journal by the designer's read-only FlowView (failed node outlined), and the picked step's
// status, duration, error, inputs and outputs beside it. The failed step is picked at first.

export function ExecutionView({ id }: { id: string }) {
  const trpc = useTRPC();
  const run = useQuery(trpc.flows.execution.queryOptions({ id }, { retry: false }));
  const [picked, setPicked] = useState<string | null>(null);
  if (run.isError) {
    const missing = problemOf(run.error).code === "NOT_FOUND";
    return (
      <div className="p-6">
        {missing ? (
          <EmptyState testId="execution-missing" title="No such flow execution">
            It may have been purged with its queue row.
          </EmptyState>
        ) : (
          <div
            role="alert"
            data-testid="execution-error"
            className="rounded border border-red-200 bg-red-50 p-4 text-sm text-red-900"
          >
            The execution could not be loaded: {problemOf(run.error).message}
            <Button className="ml-3" size="sm" onClick={() => run.refetch()}>
              Retry
            </Button>
          </div>
        )}
      </div>
    );
  }
  if (!run.data)
    return (
      <div className="flex flex-col gap-3 p-6" data-testid="execution-loading" aria-busy="true">
        <Skeleton className="h-6 w-1/3" />
        <Skeleton className="h-[480px] w-full" />
      </div>
    );
  const e = run.data;
  const failed = e.steps.find((s) => s.status === "error");
  const nodeId = picked ?? failed?.nodeId ?? e.steps[0]?.nodeId ?? null;
  const step = e.steps.find((s) => s.nodeId === nodeId);
  const label = (nid: string) => e.graph?.nodes.find((n) => n.id === nid)?.label ?? nid;
  return (
    <>
      <PageHeader
        title={
          <span className="flex items-center gap-2">
            {e.flowName ?? e.flowId} <span className="text-sm font-normal text-slate-500">v{e.version}</span>
            <StatusBadge status={e.status} testId="execution-status" />
          </span>
        }
        subtitle={`Started ${formatTime(e.startedAt)} · ${formatDuration(e.durationMs)}${e.queueRowId !== null ? ` · ${e.queue} row ${e.queueRowId}` : ""}`}
        actions={
          <>
            {e.traceId ? (
              e.traceUrl ? (
                <a
                  className="text-sm text-brand-700 hover:underline"
                  href={e.traceUrl}
                  target="_blank"
                  rel="noreferrer"
                  data-testid="execution-trace"
                >
                  Trace {e.traceId.slice(0, 8)}…
                </a>
              ) : (
                <span
                  className="font-mono text-xs text-slate-600"
                  data-testid="execution-trace"
                  title="Trace id"
                >
                  Trace {e.traceId}
                </span>
              )
            ) : null}
            {e.queueRowId !== null && e.queue !== "none" ? (
              <Link
                className="text-sm text-brand-700 hover:underline"
                href={`/queues?queue=${e.queue}&row=${e.queueRowId}`}
              >
                Queue row
              </Link>
            ) : null}
            <Link className="text-sm text-brand-700 hover:underline" href={`/flows/${e.flowId}`}>
              Open flow
            </Link>
          </>
        }
      />
      <div className="grid gap-4 p-6 xl:grid-cols-[1fr_26rem]">
        <div className="flex flex-col gap-3">
          {e.error ? (
            <p
              role="alert"
              data-testid="execution-run-error"
              className="rounded border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900"
            >
              {failed ? <span className="font-medium">{label(failed.nodeId)}: </span> : null}
              {e.error}
            </p>
          ) : null}
          {e.detail === "summary" ? (
            <p
              role="status"
              data-testid="execution-details-not-kept"
              className="rounded border border-slate-200 bg-slate-50 px-3 py-2 text-sm text-slate-700"
            >
              Details not kept: this successful run kept only a summary (status, duration and each node&apos;s
              status), not its steps&apos; inputs and outputs. Failed runs and a sample of successful ones
              keep everything.
            </p>
          ) : null}
          {e.graph ? (
            <FlowView graph={e.graph} steps={e.steps} onSelect={setPicked} className="h-[520px]" />
          ) : (
            <EmptyState title="The version that ran is no longer stored" />
          )}
          <nav aria-label="Steps" className="rounded-lg border border-slate-200 bg-white">
            <h2 className="border-b border-slate-100 px-4 py-2 text-sm font-semibold text-slate-800">
              Steps
            </h2>
            <ol className="divide-y divide-slate-100 text-sm">
              {e.steps.map((s, i) => (
                <li key={`${s.nodeId}-${s.iteration ?? i}`}>
                  <button
                    type="button"
                    data-testid={`step-${s.nodeId}`}
                    aria-current={s.nodeId === nodeId}
                    onClick={() => setPicked(s.nodeId)}
                    className={`flex w-full items-center gap-3 px-4 py-1.5 text-left outline-none hover:bg-slate-50 focus-visible:ring-2 focus-visible:ring-brand-500 ${s.nodeId === nodeId ? "bg-brand-50" : ""}`}
                  >
                    <StatusBadge status={s.status} />
                    <span className="flex-1">{label(s.nodeId)}</span>
                    <span className="text-xs text-slate-500 tabular-nums">
                      {formatDuration(s.durationMs)}
                    </span>
                  </button>
                </li>
              ))}
            </ol>
          </nav>
        </div>
        <aside
          aria-label="Step details"
          data-testid="step-details"
          className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4 text-sm"
        >
          {step ? (
            <>
              <div className="flex items-center gap-2">
                <h2 className="font-semibold text-slate-800" data-testid="step-title">
                  {label(step.nodeId)}
                </h2>
                <StatusBadge status={step.status} />
                <span className="ml-auto text-xs text-slate-500">
                  {step.type} · {formatDuration(step.durationMs)}
                  {step.port ? ` · → ${step.port}` : ""}
                </span>
              </div>
              {step.error ? (
                <p
                  data-testid="step-error"
                  className="rounded border border-red-200 bg-red-50 px-2 py-1.5 text-red-900"
                >
                  {step.error.message}
                  {step.error.retriable ? " (retriable)" : ""}
                </p>
              ) : null}
              <Json title="Inputs" value={step.inputs} testId="step-inputs" />
              <Json title="Outputs" value={step.outputs} testId="step-outputs" />
            </>
          ) : (
            <p className="text-slate-500">This run has no steps.</p>
          )}
          <Json title="Run inputs" value={e.inputs} testId="run-inputs" />
          {e.logs.length ? (
            <section aria-label="Log">
              <h3 className="mb-1 text-xs font-semibold text-slate-600 uppercase">Log</h3>
              <ol className="space-y-0.5 text-xs">
                {e.logs.map((l) => (
                  <li key={l.id}>
                    <span className="text-slate-500">{formatTime(l.at)}</span>{" "}
                    <span className="font-medium">{l.level}</span> {l.message}
                  </li>
                ))}
              </ol>
            </section>
          ) : null}
        </aside>
      </div>
    </>
  );
}

function Json({ title, value, testId }: { title: string; value: unknown; testId: string }) {
  return (
    <section aria-label={title}>
      <h3 className="mb-1 text-xs font-semibold text-slate-600 uppercase">{title}</h3>
      <CodeBlock
        label={`${title} JSON`}
        testId={testId}
        className="max-h-72 rounded p-2 text-[11px] leading-snug"
      >
        {value === undefined ? "—" : JSON.stringify(value, null, 2)}
      </CodeBlock>
    </section>
  );
}

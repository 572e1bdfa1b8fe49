"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "../trpc/client";
import { problemOf } from "../trpc/errors";
import { CodeBlock } from "../ui/code-block";
import { PageHeader } from "../ui/page-header";
import { FlowView } from "./flow-view";

/** One flow execution: the version's canvas with each step's status, the chosen step, and the log. */
export function ExecutionView({ id }: { id: string }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.flows.execution.queryOptions({ id }));
  const [selected, setSelected] = useState<string | null>(null);
  if (q.isError) return <p className="p-6 text-sm text-red-700">{problemOf(q.error).message}</p>;
  const e = q.data;
  if (!e) return <p className="p-6 text-sm text-slate-500">Loading…</p>;
  const failed = e.steps.find((s) => s.status === "error");
  const step = e.steps.findLast((s) => s.nodeId === (selected ?? failed?.nodeId));
  return (
    <>
      <PageHeader
        title={`${e.flowName ?? e.flowId} · v${e.version}`}
        subtitle={`${e.status} · ${e.durationMs ?? "?"} ms · ${new Date(e.startedAt).toLocaleString()} · ${e.queue} queue row ${e.queueRowId ?? "—"}`}
        actions={
          <Link href={`/flows/${e.flowId}`} className="text-sm text-brand-700 hover:underline">
            Open flow
          </Link>
        }
      />
      <div className="grid gap-4 p-6 lg:grid-cols-[1fr_24rem]" data-testid="execution" data-status={e.status}>
        <div className="space-y-4">
          {e.error && (
            <p
              className="rounded border border-red-200 bg-red-50 p-3 text-sm text-red-900"
              data-testid="execution-error"
            >
              {e.error}
            </p>
          )}
          {e.graph ? (
            <FlowView graph={e.graph} steps={e.steps} onSelect={setSelected} />
          ) : (
            <p className="text-sm text-slate-500">The version that ran is no longer stored.</p>
          )}
          <section>
            <h2 className="mb-2 text-sm font-semibold text-slate-900">Log</h2>
            {e.logs.length === 0 ? (
              <p className="text-sm text-slate-500">No log lines.</p>
            ) : (
              <ul
                className="divide-y divide-slate-100 rounded border border-slate-200 bg-white font-mono text-[12px]"
                data-testid="execution-logs"
              >
                {e.logs.map((l) => (
                  <li key={l.id} className="flex gap-3 px-3 py-1.5" data-testid="log-line">
                    <span className="text-slate-500">{new Date(l.at).toLocaleTimeString()}</span>
                    <span
                      className={
                        l.level === "error"
                          ? "text-red-700"
                          : l.level === "warn"
                            ? "text-amber-700"
                            : "text-slate-600"
                      }
                    >
                      {l.level}
                    </span>
                    <span className="text-slate-900">{l.message}</span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
        <aside className="rounded border border-slate-200 bg-white p-3 text-sm" data-testid="execution-step">
          {step ? (
            <>
              <h2 className="font-semibold text-slate-900">
                {step.nodeId}{" "}
                <span className={step.status === "error" ? "text-red-700" : "text-emerald-700"}>
                  {step.status}
                </span>
              </h2>
              <p className="text-[12px] text-slate-500">
                {step.type} · {Math.round(step.durationMs)} ms{step.port ? ` · → ${step.port}` : ""}
              </p>
              {step.error && (
                <p className="mt-2 rounded bg-red-50 p-2 text-[12px] text-red-800">
                  {step.error.code}: {step.error.message}
                </p>
              )}
              {(["inputs", "outputs"] as const).map((k) => (
                <div key={k} className="mt-2">
                  <p className="text-[11px] font-medium text-slate-500 capitalize">{k}</p>
                  <CodeBlock label={`Step ${k}`} className="max-h-64 rounded p-2 text-[11px]">
                    {JSON.stringify(step[k], null, 2)}
                  </CodeBlock>
                </div>
              ))}
            </>
          ) : (
            <p className="text-slate-500">Click a node to see its step.</p>
          )}
        </aside>
      </div>
    </>
  );
}

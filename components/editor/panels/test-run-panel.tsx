"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { FlowParam } from "@/flows";
import { useTRPC } from "../../trpc/client";
import { problemOf } from "../../trpc/errors";
import { Button } from "../../ui/button";
import { CodeBlock } from "../../ui/code-block";
import { useEditor, useEditorApi } from "../store/context";

/** Sensible sample inputs: Transform Payload's sample for `payload`, placeholders elsewhere. */
function initialInputs(params: readonly FlowParam[], sample: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of params) {
    if (p.name === "payload") out[p.name] = JSON.stringify(sample ?? {}, null, 2);
    else if (p.name === "operation") out[p.name] = "create";
    else if (p.type === "string") out[p.name] = `test-${p.name}`;
    else out[p.name] = "";
  }
  return out;
}

function parseValue(text: string, type: FlowParam["type"]): unknown {
  if (type === "string") return text;
  if (text.trim() === "") return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Runs the draft on in-memory ports with a sample (or real inbound) payload; nothing is written. */
export function TestRunPanel({ onFocus }: { onFocus: (id: string) => void }) {
  const trpc = useTRPC();
  const api = useEditorApi();
  const meta = useEditor((s) => s.meta);
  const hasSteps = useEditor((s) => Object.keys(s.steps).length > 0);
  const sample = useEditor(
    (s) => s.nodes.find((n) => n.data.typeId === "transform_payload")?.data.config.samplePayload,
  );
  const [inputs, setInputs] = useState(() => initialInputs(meta.inputs, sample));
  const samples = useQuery({
    ...trpc.flows.inboundSamples.queryOptions({ limit: 20 }),
    enabled: meta.kind === "inbound",
  });
  const run = useMutation(
    trpc.flows.testRun.mutationOptions({ onSuccess: (r) => api.getState().setSteps(r.run?.steps ?? []) }),
  );
  const start = () => {
    const values = Object.fromEntries(
      meta.inputs.map((p) => [p.name, parseValue(inputs[p.name] ?? "", p.type)]),
    );
    run.mutate({ graph: api.getState().graph(), inputs: values });
  };
  const pickSample = (sequence: string) => {
    const s = samples.data?.find((x) => String(x.sequence) === sequence);
    if (!s) return;
    setInputs((cur) => ({
      ...cur,
      payload: JSON.stringify(s.payload, null, 2),
      remote_system: s.remoteSystemId,
      remote_correlation_id: s.remoteCorrelationId,
      local_correlation_id: s.localCorrelationId ?? "",
      process_event: s.processEvent,
      operation: s.operation,
    }));
  };
  const result = run.data;
  const labelOf = (id: string) => api.getState().nodes.find((n) => n.id === id)?.data.label ?? id;
  return (
    <div className="space-y-3 p-3" data-testid="test-run-panel">
      <p className="text-[12px] text-slate-600">
        Runs this draft on in-memory records, correlations, mail and transport.{" "}
        <b>Nothing is written to the database or sent anywhere.</b>
      </p>
      {meta.kind === "inbound" && (
        <label className="block text-[12px] font-medium text-slate-700">
          Payload from the inbound queue
          <select
            className="mt-1 h-7 w-full rounded border border-slate-300 bg-white px-1 text-[12px]"
            onChange={(e) => pickSample(e.target.value)}
            defaultValue=""
            data-testid="inbound-sample"
          >
            <option value="">
              {samples.data?.length ? "Choose a received message…" : "No messages received yet"}
            </option>
            {samples.data?.map((s) => (
              <option key={s.sequence} value={s.sequence}>
                #{s.sequence} · {s.processEvent} · {s.operation} · {new Date(s.receivedAt).toLocaleString()}
              </option>
            ))}
          </select>
        </label>
      )}
      {meta.inputs.map((p) => (
        // biome-ignore lint/a11y/noLabelWithoutControl: the control is one of the two branches below
        <label key={p.name} className="block text-[12px] font-medium text-slate-700">
          {p.label ?? p.name} <span className="font-normal text-slate-500">{p.type}</span>
          {p.name === "payload" || p.type === "object" || p.type === "any" ? (
            <textarea
              value={inputs[p.name] ?? ""}
              onChange={(e) => setInputs({ ...inputs, [p.name]: e.target.value })}
              rows={p.name === "payload" ? 8 : 2}
              spellCheck={false}
              data-testid={`test-input-${p.name}`}
              className="mt-1 w-full rounded border border-slate-300 px-2 py-1 font-mono text-[11px]"
            />
          ) : (
            <input
              value={inputs[p.name] ?? ""}
              onChange={(e) => setInputs({ ...inputs, [p.name]: e.target.value })}
              data-testid={`test-input-${p.name}`}
              className="mt-1 h-7 w-full rounded border border-slate-300 px-2 text-[12px]"
            />
          )}
        </label>
      ))}
      <div className="flex gap-2">
        <Button variant="primary" onClick={start} disabled={run.isPending} data-testid="test-run-start">
          {run.isPending ? "Running…" : "Run test"}
        </Button>
        {hasSteps && (
          <Button onClick={() => api.getState().setSteps([])} data-testid="test-run-clear">
            Clear results
          </Button>
        )}
      </div>
      {run.isError && <p className="text-[12px] text-red-700">{problemOf(run.error).message}</p>}
      {result && !result.run && (
        <p className="rounded bg-red-50 p-2 text-[12px] text-red-800" data-testid="test-run-blocked">
          The draft does not compile ({result.diagnostics.filter((d) => d.severity === "error").length}{" "}
          errors); see Problems.
        </p>
      )}
      {result?.run && (
        <div data-testid="test-run-result" data-status={result.run.status} className="space-y-2">
          <p
            className={`text-sm font-medium ${result.run.status === "completed" ? "text-emerald-700" : "text-red-700"}`}
          >
            {result.run.status === "completed" ? "Completed" : `Ended: ${result.run.status}`} in{" "}
            {Math.round(result.run.durationMs)} ms · {result.run.steps.length} steps
          </p>
          {result.run.error && <p className="text-[12px] text-red-700">{result.run.error.message}</p>}
          <p className="text-[11px] text-slate-500">
            Would have written {result.writes.length} record(s), sent {result.messages} message(s) and{" "}
            {result.emails} email(s) — none of it happened.
          </p>
          <ol className="space-y-1">
            {result.run.steps.map((st, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: steps repeat inside For Each
              <li key={i} data-testid={`test-step-${st.nodeId}`} className="rounded border border-slate-200">
                <details>
                  <summary className="flex cursor-pointer items-center gap-2 px-2 py-1 text-[12px]">
                    <span className={st.status === "completed" ? "text-emerald-700" : "text-red-600"}>
                      {st.status === "completed" ? "✓" : "✕"}
                    </span>
                    <button
                      type="button"
                      className="flex-1 truncate text-left hover:underline"
                      onClick={() => onFocus(st.nodeId)}
                    >
                      {labelOf(st.nodeId)}
                    </button>
                    <span className="text-slate-500">{st.port ?? ""}</span>
                    <span className="text-slate-500">{Math.round(st.durationMs)} ms</span>
                  </summary>
                  <CodeBlock label="Step inputs, outputs and error" className="max-h-56 p-2 text-[10px]">
                    {JSON.stringify({ inputs: st.inputs, outputs: st.outputs, error: st.error }, null, 2)}
                  </CodeBlock>
                </details>
              </li>
            ))}
          </ol>
          {result.logs.length > 0 && (
            <div>
              <p className="text-[11px] font-medium text-slate-600">Log lines</p>
              <ul className="font-mono text-[11px] text-slate-700">
                {result.logs.map((l, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: log lines have no id in a test run
                  <li key={i}>
                    [{l.level}] {l.message}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </div>
      )}
    </div>
  );
}

"use client";

import { useMutation } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { useTRPC } from "../../trpc/client";
import { problemOf } from "../../trpc/errors";
import { Button } from "../../ui/button";
import { toast } from "../../ui/toast";
import { useEditorApi } from "../store/context";
import { type EffectRow, effectRows } from "./try-draft-diff";

export interface TryRow {
  queue: "outbound" | "inbound";
  id: number;
}

/**
 * "Try with draft" (issue 15): the saved draft runs on a queue row's real inputs against the
 * dry-run ports (nothing is written, sent or emailed); the canvas shows each node's status as a
 * test run does, and the panel shows the effects beside what the published version did.
 */
export function TryDraftPanel({
  flowId,
  row,
  flush,
  onPublished,
  onFocus,
}: {
  flowId: string;
  row: TryRow;
  flush: () => Promise<void>;
  onPublished: (version: number) => void;
  /** Selects a node (opens it in the inspector). */
  onFocus: (nodeId: string) => void;
}) {
  const trpc = useTRPC();
  const api = useEditorApi();
  const run = useMutation(
    trpc.tryDraft.run.mutationOptions({ onSuccess: (r) => api.getState().setSteps(r.run?.steps ?? []) }),
  );
  const publish = useMutation(trpc.tryDraft.publishAndReprocess.mutationOptions());
  const start = async () => {
    await flush(); // the server runs the saved draft
    run.mutate({ queue: row.queue, id: row.id });
  };
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void start();
  });
  const r = run.data;
  const rows: EffectRow[] = r
    ? effectRows(
        r.effects,
        r.published?.effects ?? [],
        new Set((r.run?.steps ?? []).filter((st) => st.replayed).map((st) => st.nodeId)),
      )
    : [];
  const labelOf = (id: string | null) =>
    (id && api.getState().nodes.find((n) => n.id === id)?.data.label) || id || "";
  const publishFor = async (ids: number[]) => {
    await flush();
    try {
      const out = await publish.mutateAsync({ flowId, queue: row.queue, ids });
      onPublished(out.version);
      toast("success", `Published version ${out.version}; ${out.changed.length} row(s) reprocessed`);
    } catch {
      // shown below from publish.error
    }
  };
  const same = r?.sameFailure.ids ?? [];
  return (
    <div className="space-y-3 p-3" data-testid="try-draft-panel">
      <p className="text-[12px] text-slate-600">
        Runs this draft on {row.queue} row <b>#{row.id}</b> with its real inputs, reading this instance's
        records, correlations and configuration. <b>Nothing is written, sent or emailed.</b>
      </p>
      <Button onClick={() => void start()} disabled={run.isPending} data-testid="try-draft-run">
        {run.isPending ? "Running…" : r ? "Run again" : "Run"}
      </Button>
      {run.isError && <p className="text-[12px] text-red-700">{problemOf(run.error).message}</p>}
      {r && !r.run && (
        <p className="rounded bg-red-50 p-2 text-[12px] text-red-800" data-testid="try-draft-blocked">
          The draft does not compile; see Problems.
        </p>
      )}
      {r?.run && (
        <p
          data-testid="try-draft-status"
          data-status={r.run.status}
          className={`text-sm font-medium ${r.run.status === "completed" ? "text-emerald-700" : "text-red-700"}`}
        >
          Draft: {r.run.status === "completed" ? "completes" : `ends ${r.run.status}`}
          {r.run.error ? ` at ${labelOf(r.run.error.nodeId ?? null)}: ${r.run.error.message}` : ""}
        </p>
      )}
      {r?.run && (
        <ol className="flex flex-wrap gap-1" aria-label="Steps of the dry run">
          {r.run.steps.map((st, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: steps repeat inside For Each
            <li key={i}>
              <button
                type="button"
                data-testid={`try-step-${st.nodeId}`}
                onClick={() => onFocus(st.nodeId)}
                title="Open in the inspector"
                className={`rounded border px-1.5 py-0.5 text-[11px] hover:underline ${st.status === "completed" ? "border-emerald-200 text-emerald-800" : "border-red-300 bg-red-50 text-red-800"}`}
              >
                {st.status === "completed" ? "✓" : "✕"} {labelOf(st.nodeId)}
              </button>
            </li>
          ))}
        </ol>
      )}
      {r && (
        <p className="text-[12px] text-slate-600" data-testid="try-draft-published">
          {r.published
            ? `Published v${r.published.version}, last run of this row: ${r.published.status}${r.published.failedNodeId ? ` at ${labelOf(r.published.failedNodeId)}` : ""}${r.published.error ? ` — ${r.published.error}` : ""}. ✕ marks a value that was refused.`
            : r.publishedNote}
        </p>
      )}
      {r && (
        <table className="w-full border-collapse text-[11px]" data-testid="try-draft-diff">
          <thead>
            <tr className="text-left text-slate-500">
              <th className="py-1 pr-1 font-medium">Effect</th>
              <th className="pr-1 font-medium">Before</th>
              <th className="pr-1 font-medium">Published did</th>
              <th className="font-medium">Draft would</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <tr>
                <td colSpan={4} className="py-1 text-slate-500">
                  No writes, messages or emails.
                </td>
              </tr>
            )}
            {rows.map((e) => (
              <tr
                key={e.key}
                data-testid={`try-diff-${e.key}`}
                className={`border-t border-slate-100 align-top ${e.changed ? "bg-amber-50" : ""}`}
              >
                <td className="py-1 pr-1 font-medium text-slate-700">{e.label}</td>
                <td className="pr-1 break-all text-slate-500">{e.before}</td>
                <td className="pr-1 break-all">{e.published}</td>
                <td className="break-all font-medium" data-testid={`try-diff-${e.key}-draft`}>
                  {e.draft}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {r && (
        <div className="flex flex-wrap gap-2 border-t border-slate-100 pt-2">
          <Button
            variant="primary"
            disabled={publish.isPending}
            onClick={() => void publishFor([row.id])}
            data-testid="try-publish-one"
          >
            Publish and reprocess
          </Button>
          {same.length > 1 && (
            <Button
              disabled={publish.isPending}
              onClick={() => void publishFor(same)}
              data-testid="try-publish-all"
            >
              Publish and reprocess all {same.length} failed at {labelOf(r.sameFailure.nodeId)}
            </Button>
          )}
        </div>
      )}
      {publish.isError && (
        <p
          role="alert"
          className="rounded bg-red-50 p-2 text-[12px] text-red-800"
          data-testid="try-publish-refused"
        >
          Not published: {problemOf(publish.error).message}. {problemOf(publish.error).detail ?? ""}
        </p>
      )}
      {publish.data && (
        <p className="text-[12px] text-emerald-700" data-testid="try-publish-done">
          Published v{publish.data.version}; reprocessing {publish.data.changed.length} row(s).
        </p>
      )}
    </div>
  );
}

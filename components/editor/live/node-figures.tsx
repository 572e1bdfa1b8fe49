"use client";

import Link from "next/link";
import { useOverlay } from "./overlay-store";

const ms = (v: number | null) => (v === null ? "–" : v < 10 ? `${v.toFixed(1)} ms` : `${Math.round(v)} ms`);

/** Runs, errors (a link to the rows that failed here) and p95 under a node's label. */
export function NodeFigures({ id }: { id: string }) {
  // Primitive selections: a new object per call would re-render on every store change.
  const flowId = useOverlay((o) => o?.flowId);
  const version = useOverlay((o) => o?.version);
  const queue = useOverlay((o) => o?.queue ?? null);
  const f = useOverlay((o) => o?.nodes[id]);
  if (!flowId) return null;
  const runs = f?.runs ?? 0;
  const errors = f?.errors ?? 0;
  const href = queue
    ? `/queues?queue=${queue}&status=error&flow=${flowId}&version=${version}&node=${encodeURIComponent(id)}`
    : null;
  return (
    <div
      data-testid={`figures-${id}`}
      data-runs={runs}
      data-errors={errors}
      className="nodrag flex items-center gap-2 border-t border-slate-100 px-2.5 py-1 text-[11px] tabular-nums"
      title={
        f?.lastError
          ? `Last error (${new Date(f.lastErrorAt ?? 0).toLocaleString()}): ${f.lastError}`
          : undefined
      }
    >
      <span className="text-slate-700" data-testid={`runs-${id}`}>
        {runs} run{runs === 1 ? "" : "s"}
      </span>
      {errors > 0 &&
        (href ? (
          <Link
            href={href}
            data-testid={`errors-${id}`}
            onClick={(e) => e.stopPropagation()}
            className="rounded bg-red-600 px-1.5 font-semibold text-white hover:bg-red-700"
          >
            {errors} error{errors === 1 ? "" : "s"}
          </Link>
        ) : (
          <span data-testid={`errors-${id}`} className="rounded bg-red-600 px-1.5 font-semibold text-white">
            {errors} error{errors === 1 ? "" : "s"}
          </span>
        ))}
      <span className="ml-auto text-slate-500" title="95th percentile duration">
        p95 {ms(f?.p95Ms ?? null)}
      </span>
    </div>
  );
}

/** The newest error message at the node, one line (the whole of it on hover). */
export function NodeLastError({ id }: { id: string }) {
  const f = useOverlay((o) => o?.nodes[id]);
  if (!f?.errors || !f.lastError) return null;
  return (
    <p
      data-testid={`last-error-${id}`}
      title={f.lastError}
      className="truncate px-2.5 pb-1 text-[11px] text-red-700"
    >
      {f.lastError}
    </p>
  );
}

/** Whether the node failed runs in the window (its frame turns red). */
export function useHasErrors(id: string): boolean {
  return useOverlay((o) => (o?.nodes[id]?.errors ?? 0) > 0);
}

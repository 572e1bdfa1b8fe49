"use client";

import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import type { CanvasGraph } from "@/flows";
import { useTRPC } from "../../trpc/client";
import { focusRing } from "../../ui/button";
import { Dialog, DialogClose, DialogDescription, DialogTitle } from "../../ui/dialog";
import { diffGraphs } from "../diff";
import { FlowView } from "../flow-view";

function useGraph(flowId: string, which: string, draft: CanvasGraph) {
  const trpc = useTRPC();
  const version = which === "draft" ? 0 : Number(which);
  const q = useQuery({
    ...trpc.flows.version.queryOptions({ id: flowId, version: version || 1 }),
    enabled: version > 0,
  });
  return version > 0 ? q.data?.graph : draft;
}

/** Two versions on one canvas: added nodes green, changed amber, removed red. */
export function DiffDialog(props: {
  flowId: string;
  from: string;
  to: string;
  draft: () => CanvasGraph;
  onClose: () => void;
}) {
  const [draft] = useState(props.draft);
  const older = useGraph(props.flowId, props.from, draft);
  const newer = useGraph(props.flowId, props.to, draft);
  const diff = useMemo(() => (older && newer ? diffGraphs(older, newer) : null), [older, newer]);
  const name = (v: string) => (v === "draft" ? "the draft" : `version ${v}`);
  const counts = diff
    ? (["added", "changed", "removed"] as const).map(
        (k) => [k, Object.values(diff.marks).filter((m) => m === k).length] as const,
      )
    : [];
  return (
    <Dialog
      header={false}
      onClose={props.onClose}
      testId="diff-dialog"
      className="h-[calc(100vh-3rem)] w-[calc(100vw-3rem)] max-w-6xl"
    >
      <div className="flex items-center justify-between border-b border-slate-200 px-4 py-3">
        <div>
          <DialogTitle className="text-base font-semibold text-slate-900">
            Changes from {name(props.from)} to {name(props.to)}
          </DialogTitle>
          <DialogDescription className="text-[12px] text-slate-600" data-testid="diff-summary">
            {diff
              ? `${counts.map(([k, n]) => `${n} ${k}`).join(", ")} node(s); ${diff.edgesAdded} connection(s) added, ${diff.edgesRemoved} removed`
              : "Loading…"}
          </DialogDescription>
        </div>
        <div className="flex items-center gap-3 text-[11px]">
          <span className="rounded bg-emerald-100 px-1.5 text-emerald-800">added</span>
          <span className="rounded bg-amber-100 px-1.5 text-amber-800">changed</span>
          <span className="rounded bg-red-100 px-1.5 text-red-800">removed</span>
          <DialogClose
            aria-label="Close"
            className={`ml-2 rounded px-1 text-slate-500 hover:text-slate-800 ${focusRing}`}
          >
            ✕
          </DialogClose>
        </div>
      </div>
      <div className="min-h-0 flex-1 p-3">
        {diff && <FlowView graph={diff.merged} diff={diff.marks} className="h-full" />}
      </div>
    </Dialog>
  );
}

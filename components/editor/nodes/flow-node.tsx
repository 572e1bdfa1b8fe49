"use client";

import { Handle, type NodeProps, Position } from "@xyflow/react";
import { memo } from "react";
import { getNodeType, type PaletteGroup } from "@/flows";
import { NodeFigures, NodeLastError, useHasErrors } from "../live/node-figures";
import { useEditor } from "../store/context";
import type { FlowNode } from "../store/graph-model";
import { configSummary } from "./summary";

export const groupTone: Record<PaletteGroup, string> = {
  Start: "bg-emerald-600",
  Correlation: "bg-violet-600",
  Sync: "bg-sky-600",
  Records: "bg-amber-600",
  Logic: "bg-slate-600",
  Operations: "bg-rose-600",
};

const diffTone = {
  added: "ring-2 ring-emerald-500 bg-emerald-50",
  removed: "ring-2 ring-red-500 bg-red-50 opacity-70",
  changed: "ring-2 ring-amber-500 bg-amber-50",
} as const;

function StepBadge({ id }: { id: string }) {
  const step = useEditor((s) => s.steps[id]);
  if (!step) return null;
  const ok = step.status === "completed";
  return (
    <span
      data-testid={`step-${id}`}
      data-status={step.status}
      className={`rounded px-1.5 py-0.5 text-[10px] font-medium ${ok ? "bg-emerald-100 text-emerald-800" : "bg-red-100 text-red-800"}`}
    >
      {ok ? "✓" : "✕"} {Math.round(step.durationMs)} ms
    </span>
  );
}

function DiagnosticBadge({ id }: { id: string }) {
  const ds = useEditor((s) => s.diagnosticsByNode[id]);
  if (!ds || ds.length === 0) return null;
  const errors = ds.filter((d) => d.severity === "error").length;
  return (
    <span
      data-testid={`node-diagnostics-${id}`}
      title={ds.map((d) => d.message).join("\n")}
      className={`rounded-full px-1.5 text-[10px] font-semibold text-white ${errors ? "bg-red-700" : "bg-amber-700"}`}
    >
      {ds.length}
    </span>
  );
}

/**
 * The one node component, driven by the registry: label, type, a config summary, typed
 * output ports (one handle each) and badges for diagnostics and test-run steps.
 */
function FlowNodeView({ id, data, selected }: NodeProps<FlowNode>) {
  const type = getNodeType(data.typeId);
  const diff = useEditor((s) => s.diff[id]);
  const failedStep = useEditor((s) => s.steps[id]?.status === "error");
  // On the live canvas, a node where runs failed in the window stands out the same way.
  const failed = useHasErrors(id) || failedStep;
  const ports = type?.ports ?? ["next"];
  const isStart = type?.role === "start";
  const summary = configSummary(data.typeId, data.config);
  return (
    <div
      data-testid={`flow-node-${id}`}
      data-diff={diff}
      className={`w-[220px] rounded-md border bg-white text-left shadow-sm transition-shadow ${
        selected
          ? "border-brand-600 ring-2 ring-brand-500/40"
          : failed
            ? "border-red-500 ring-2 ring-red-400/50"
            : "border-slate-300"
      } ${diff ? diffTone[diff] : ""}`}
    >
      {!isStart && (
        <Handle
          type="target"
          position={Position.Left}
          className="!size-3 !border-2 !border-white !bg-slate-500"
        />
      )}
      <div className="flex items-center gap-2 border-b border-slate-100 px-2.5 py-1.5">
        <span className={`size-2.5 shrink-0 rounded-sm ${type ? groupTone[type.group] : "bg-red-600"}`} />
        <span
          data-testid={`node-label-${id}`}
          className="min-w-0 flex-1 truncate text-[13px] font-semibold text-slate-900"
        >
          {data.label || type?.label || data.typeId}
        </span>
        <DiagnosticBadge id={id} />
      </div>
      <div className="px-2.5 py-1.5">
        <div className="flex items-center justify-between gap-2">
          <span className="truncate text-[10px] tracking-wide text-slate-500 uppercase">
            {type?.label ?? "Unknown type"}
          </span>
          <StepBadge id={id} />
        </div>
        <p className="mt-0.5 truncate font-mono text-[11px] text-slate-600" title={summary}>
          {summary || "\u00a0"}
        </p>
      </div>
      <NodeFigures id={id} />
      <NodeLastError id={id} />
      {ports.length > 0 && (
        <div className="flex flex-col items-end gap-1 pb-1.5">
          {ports.map((port) => (
            <div key={port} className="relative flex h-4 items-center pr-3 text-[10px] text-slate-500">
              <span className={port === "error" ? "text-red-600" : ""}>{port}</span>
              <Handle
                type="source"
                id={port}
                position={Position.Right}
                data-testid={`handle-${id}-${port}`}
                className={`!size-3 !border-2 !border-white ${port === "error" ? "!bg-red-500" : "!bg-brand-600"}`}
              />
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

/** Built once at module scope: React Flow re-mounts every node when this object changes. */
export const nodeTypes = { flow: memo(FlowNodeView) };

"use client";

import { ReactFlowProvider } from "@xyflow/react";
import { useEffect, useMemo } from "react";
import type { CanvasGraph } from "@/flows";
import { Canvas } from "./canvas";
import { EditorProvider } from "./store/context";
import { createEditorStore, type DiffMark, type StepView } from "./store/editor-store";

export interface FlowViewProps {
  graph: CanvasGraph;
  /** A step journal (flow_execution.steps or a test run): status, duration and failure per node. */
  steps?: readonly StepView[] | undefined;
  /** Diff marks per node id (version diff). */
  diff?: Record<string, DiffMark> | undefined;
  /** Called with the clicked node's id (null when the pane is clicked). */
  onSelect?: ((nodeId: string | null) => void) | undefined;
  className?: string | undefined;
}

/**
 * A read-only canvas of a flow graph, decorated with a run's steps or a diff. The failed step's
 * node is outlined in red and badged with its status; click a node to read its step.
 * Reused by the executions view of the operations UI.
 */
export function FlowView({ graph, steps, diff, onSelect, className = "h-[520px]" }: FlowViewProps) {
  const store = useMemo(() => createEditorStore(graph, { readOnly: true }), [graph]);
  useEffect(() => store.getState().setSteps(steps ?? []), [store, steps]);
  useEffect(() => store.getState().setDiff(diff ?? {}), [store, diff]);
  useEffect(() => {
    if (!onSelect) return;
    return store.subscribe((s, prev) => {
      if (s.nodes === prev.nodes) return;
      const picked = s.nodes.find((n) => n.selected)?.id ?? null;
      const before = prev.nodes.find((n) => n.selected)?.id ?? null;
      if (picked !== before) onSelect(picked);
    });
  }, [store, onSelect]);
  return (
    <div
      className={`overflow-hidden rounded border border-slate-200 bg-slate-50 ${className}`}
      data-testid="flow-view"
    >
      <ReactFlowProvider>
        <EditorProvider store={store}>
          <Canvas />
        </EditorProvider>
      </ReactFlowProvider>
    </div>
  );
}

"use client";

import "@xyflow/react/dist/style.css";
import "./editor.css";
import {
  Background,
  type Connection,
  Controls,
  type Edge,
  type IsValidConnection,
  MiniMap,
  ReactFlow,
  type ReactFlowInstance,
  useReactFlow,
} from "@xyflow/react";
import { type DragEvent, useCallback, useMemo, useRef, useState } from "react";
import { getNodeType } from "@/flows";
import { useOverlay } from "./live/overlay-store";
import { groupTone, nodeTypes } from "./nodes/flow-node";
import { openingViewport } from "./opening-view";
import { useEditor, useEditorApi } from "./store/context";
import type { FlowNode } from "./store/graph-model";

export const PALETTE_MIME = "application/x-tandem-node-type";

/** Above this many nodes the canvas renders only what is visible. */
const LARGE_FLOW = 150;
/** A node's size before React Flow has measured it (opening happens before measuring). */
const NODE_SIZE = { width: 220, height: 120 };
/** The minimap redraws every node on every frame of a drag; past this it costs more than it shows. */
const MINIMAP_LIMIT = 300;

const miniMapColor = (n: FlowNode) => {
  const group = getNodeType(n.data.typeId)?.group;
  const tone = group ? groupTone[group] : "";
  return tone.includes("emerald")
    ? "#059669"
    : tone.includes("violet")
      ? "#7c3aed"
      : tone.includes("sky")
        ? "#0284c7"
        : tone.includes("amber")
          ? "#d97706"
          : tone.includes("rose")
            ? "#e11d48"
            : "#475569";
};

/** The React Flow canvas bound to the editor store; read-only mode for history, diff and runs. */
export function Canvas({ onNodeFocus }: { onNodeFocus?: (id: string) => void }) {
  const api = useEditorApi();
  const nodes = useEditor((s) => s.nodes);
  const edges = useEditor((s) => s.edges);
  const readOnly = useEditor((s) => s.readOnly);
  const onNodesChange = useEditor((s) => s.onNodesChange);
  const onEdgesChange = useEditor((s) => s.onEdgesChange);
  const flow = useReactFlow<FlowNode, Edge>();
  const [refusal, setRefusal] = useState<string | null>(null);
  const lastRefusal = useRef<string | null>(null);

  // Cheap live check while dragging a connection; the compiler stays the authority.
  const isValidConnection: IsValidConnection<Edge> = useCallback(
    (c) => {
      const check = api.getState().checkConnection(c as Connection);
      const message = check.ok ? null : check.message;
      if (message !== lastRefusal.current) {
        lastRefusal.current = message;
        setRefusal(message);
      }
      return check.ok;
    },
    [api],
  );

  const onConnect = useCallback((c: Connection) => api.getState().connect(c), [api]);

  const onDrop = useCallback(
    (e: DragEvent) => {
      const typeId = e.dataTransfer.getData(PALETTE_MIME);
      if (!typeId || readOnly) return;
      e.preventDefault();
      const at = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      api.getState().addNode(typeId, { x: at.x - 110, y: at.y - 30 });
    },
    [api, flow, readOnly],
  );

  const large = nodes.length > LARGE_FLOW;
  const box = useRef<HTMLDivElement>(null);
  // Opens readable (issue 15): the whole flow when it fits with labels of at least 12 px, else
  // at 100 % on its trigger. Once, when the viewport is ready; later edits never move the view.
  const onInit = useCallback((instance: ReactFlowInstance<FlowNode, Edge>) => {
    const el = box.current;
    const all = instance.getNodes();
    if (!el || all.length === 0) return;
    const rect = (n: FlowNode) => ({
      ...n.position,
      width: n.measured?.width ?? NODE_SIZE.width,
      height: n.measured?.height ?? NODE_SIZE.height,
    });
    const start = all.find((n) => n.data.typeId === "flow_inputs");
    const v = openingViewport(all.map(rect), start && rect(start), {
      width: el.clientWidth,
      height: el.clientHeight,
    });
    void instance.setViewport({ x: v.x, y: v.y, zoom: v.zoom });
  }, []);

  // The live canvas: an edge shows how many runs took it (runs that left its source by its port).
  const ports = useOverlay((o) => o?.ports);
  const shown = useMemo(() => {
    if (!ports) return edges;
    return edges.map((e) => {
      const runs = ports[`${e.source}:${e.sourceHandle ?? "next"}`] ?? 0;
      const port = e.sourceHandle && e.sourceHandle !== "next" ? `${e.sourceHandle} · ` : "";
      return { ...e, label: `${port}${runs}`, data: { ...e.data, runs } };
    });
  }, [edges, ports]);

  return (
    <div ref={box} className="relative h-full w-full" data-testid="flow-canvas">
      <ReactFlow<FlowNode, Edge>
        nodes={nodes}
        edges={shown}
        onInit={onInit}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onConnectEnd={() => {
          lastRefusal.current = null;
          setTimeout(() => setRefusal(null), 1500);
        }}
        isValidConnection={isValidConnection}
        onNodeDragStart={() => api.getState().beginDrag()}
        onNodeDoubleClick={(_e, n) => onNodeFocus?.(n.id)}
        onDragOver={(e) => {
          e.preventDefault();
          e.dataTransfer.dropEffect = "move";
        }}
        onDrop={onDrop}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        elementsSelectable
        deleteKeyCode={readOnly ? null : ["Delete", "Backspace"]}
        multiSelectionKeyCode={["Shift", "Meta", "Control"]}
        selectionOnDrag={false}
        onlyRenderVisibleElements={large}
        minZoom={0.1}
        proOptions={{ hideAttribution: true }}
        defaultEdgeOptions={{ type: "smoothstep" }}
      >
        <Background gap={20} color="#e2e8f0" />
        {nodes.length <= MINIMAP_LIMIT && (
          <MiniMap<FlowNode> pannable zoomable nodeColor={miniMapColor} className="!bg-white/90" />
        )}
        <Controls showInteractive={false} />
      </ReactFlow>
      {refusal && (
        <div
          role="status"
          data-testid="connection-refused"
          className="pointer-events-none absolute top-3 left-1/2 z-10 -translate-x-1/2 rounded border border-red-300 bg-red-50 px-3 py-1.5 text-sm text-red-800 shadow"
        >
          {refusal}
        </div>
      )}
    </div>
  );
}

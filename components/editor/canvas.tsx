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
  useReactFlow,
} from "@xyflow/react";
import { type DragEvent, useCallback, useMemo, useRef, useState } from "react";
import { getNodeType } from "@/flows";
import { groupTone, nodeTypes } from "./nodes/flow-node";
import { useEditor, useEditorApi } from "./store/context";
import type { FlowNode } from "./store/graph-model";

export const PALETTE_MIME = "application/x-tandem-node-type";

/** Above this many nodes the canvas renders only what is visible and opens on the start. */
const LARGE_FLOW = 150;
/** How many nodes around the start a large flow opens on. */
const START_REGION = 24;
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

  // A large flow opens on its beginning (the nodes nearest its start) rather than shrunk to fit:
  // the canvas then renders only what is on screen, which keeps opening and dragging smooth.
  const large = nodes.length > LARGE_FLOW;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the first fit only; later edits must not move the view
  const fitOptions = useMemo(() => {
    if (!large) return { padding: 0.15, maxZoom: 1.1 };
    const start = nodes.find((n) => n.data.typeId === "flow_inputs") ?? nodes[0];
    const from = start?.position ?? { x: 0, y: 0 };
    const distance = (n: FlowNode) => Math.hypot(n.position.x - from.x, n.position.y - from.y);
    const near = [...nodes].sort((a, b) => distance(a) - distance(b)).slice(0, START_REGION);
    return { padding: 0.15, maxZoom: 1.1, nodes: near.map((n) => ({ id: n.id })) };
  }, [large]);

  return (
    <div className="relative h-full w-full" data-testid="flow-canvas">
      <ReactFlow<FlowNode, Edge>
        nodes={nodes}
        edges={edges}
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
        fitView
        fitViewOptions={fitOptions}
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

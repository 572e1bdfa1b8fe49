import type { CanvasGraph, FlowKind } from "../schema/canvas";
import { errorSubflow } from "./error-subflow/flow";
import { inboundBasic } from "./inbound-basic/flow";
import { outboundBasic } from "./outbound-basic/flow";

/**
 * Read-only flows users clone into drafts. Each graph is a TS module (works unchanged in
 * vitest, tsx and Next.js); the flow.json beside it is the same graph for export and review.
 */
export interface FlowTemplate {
  id: string;
  name: string;
  kind: FlowKind;
  graph: CanvasGraph;
}

const entry = (graph: CanvasGraph): FlowTemplate => ({
  id: graph.id ?? graph.name,
  name: graph.name,
  kind: graph.kind,
  graph,
});

export const FLOW_TEMPLATES: readonly FlowTemplate[] = [
  entry(outboundBasic),
  entry(inboundBasic),
  entry(errorSubflow),
];

export function getTemplate(id: string): FlowTemplate | undefined {
  return FLOW_TEMPLATES.find((t) => t.id === id);
}

/** A fresh, editable copy of a template's graph (no id: the server assigns one to the draft). */
export function cloneTemplate(id: string, name?: string): CanvasGraph | undefined {
  const t = getTemplate(id);
  if (!t) return undefined;
  const { id: _id, ...rest } = structuredClone(t.graph);
  return { ...rest, name: name ?? `${t.name} (copy)` };
}

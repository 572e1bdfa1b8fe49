import type { CanvasEdge, CanvasNode } from "@/flows";
import { isBinding } from "@/flows";
import { freshId } from "./graph-model";

/**
 * Copy/paste travels as JSON text (the system clipboard when allowed, a module variable
 * otherwise), so nodes can be pasted into another flow's editor too.
 */
export const CLIPBOARD_KIND = "tandem/flow-nodes@1";

export interface ClipboardData {
  kind: typeof CLIPBOARD_KIND;
  nodes: CanvasNode[];
  edges: CanvasEdge[];
}

export function parseClipboard(text: string): ClipboardData | null {
  try {
    const data = JSON.parse(text) as Partial<ClipboardData>;
    if (data.kind !== CLIPBOARD_KIND || !Array.isArray(data.nodes) || !Array.isArray(data.edges)) return null;
    return data as ClipboardData;
  } catch {
    return null;
  }
}

/** Rewrites `steps.<old>` pills that point inside the pasted set to the new ids. */
function remapPills(value: unknown, ids: ReadonlyMap<string, string>): unknown {
  if (isBinding(value)) {
    if (value.kind !== "pill" || value.path[0] !== "steps") return value;
    const to = ids.get(value.path[1] ?? "");
    return to ? { ...value, path: ["steps", to, ...value.path.slice(2)] } : value;
  }
  if (Array.isArray(value)) return value.map((v) => remapPills(v, ids));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, remapPills(v, ids)]));
  }
  return value;
}

/** New ids for pasted nodes (and edges between them), shifted by `offset`; edges to outside are dropped. */
export function preparePaste(
  data: ClipboardData,
  taken: ReadonlySet<string>,
  offset: { x: number; y: number },
): { nodes: CanvasNode[]; edges: CanvasEdge[] } {
  const used = new Set(taken);
  const ids = new Map<string, string>();
  for (const n of data.nodes) {
    const id = freshId(n.type, used);
    used.add(id);
    ids.set(n.id, id);
  }
  const nodes = data.nodes.map((n) => ({
    ...n,
    id: ids.get(n.id) as string,
    position: { x: n.position.x + offset.x, y: n.position.y + offset.y },
    config: remapPills(n.config, ids) as Record<string, unknown>,
  }));
  const edges: CanvasEdge[] = [];
  for (const e of data.edges) {
    const source = ids.get(e.source);
    const target = ids.get(e.target);
    if (!source || !target) continue;
    const id = freshId("e", used);
    used.add(id);
    edges.push({ ...e, id, source, target });
  }
  return { nodes, edges };
}

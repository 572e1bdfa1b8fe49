import { CANVAS_SCHEMA_VERSION } from "./canvas";

/**
 * Saved graphs migrate on load so old flows keep compiling. Each step takes the raw JSON of
 * version N and returns version N+1; steps never validate (the schema does that afterwards).
 *
 * v1 → v2: nodes `settings` → `config`, `version` → `typeVersion`;
 *          edges `sourceHandle`/`targetHandle` → `sourcePort`/`targetPort` (React Flow names
 *          leaked into the saved format in v1).
 */
type Json = Record<string, unknown>;
type Step = (graph: Json) => Json;

const isObject = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);

function renameKeys(obj: unknown, renames: Record<string, string>): unknown {
  if (!isObject(obj)) return obj;
  const out: Json = {};
  for (const [k, v] of Object.entries(obj)) out[Object.hasOwn(renames, k) ? (renames[k] as string) : k] = v;
  return out;
}

const steps: Record<number, Step> = {
  1: (g) => ({
    ...g,
    schemaVersion: 2,
    nodes: Array.isArray(g.nodes)
      ? g.nodes.map((n) => renameKeys(n, { settings: "config", version: "typeVersion" }))
      : g.nodes,
    edges: Array.isArray(g.edges)
      ? g.edges.map((e) => renameKeys(e, { sourceHandle: "sourcePort", targetHandle: "targetPort" }))
      : g.edges,
  }),
};

export type MigrationResult =
  | { ok: true; graph: unknown; from: number; to: number }
  | { ok: false; message: string };

/** Bring a saved graph up to CANVAS_SCHEMA_VERSION. Never throws. */
export function migrateCanvas(raw: unknown): MigrationResult {
  if (!isObject(raw)) return { ok: false, message: "The flow is not a JSON object." };
  const from = raw.schemaVersion ?? 1;
  if (typeof from !== "number" || !Number.isInteger(from) || from < 1) {
    return { ok: false, message: `schemaVersion must be a positive integer, got ${JSON.stringify(from)}.` };
  }
  if (from > CANVAS_SCHEMA_VERSION) {
    return {
      ok: false,
      message: `schemaVersion ${from} is newer than this version of Tandem understands (${CANVAS_SCHEMA_VERSION}).`,
    };
  }
  let graph: Json = raw;
  for (let v = from; v < CANVAS_SCHEMA_VERSION; v++) {
    const step = steps[v];
    if (!step) return { ok: false, message: `No migration from schemaVersion ${v}.` };
    graph = step(graph);
  }
  return { ok: true, graph, from, to: CANVAS_SCHEMA_VERSION };
}

import { buildGraph, reachableFrom } from "../graph/graph";
import { FlowError } from "../ports/errors";
import { getNodeType } from "../registry/registry";
import type { NodeType } from "../registry/types";
import { type Dag, dagSchema } from "../schema/dag";
import { type Plan, planValue } from "./resolve";

/** A DAG turned into index-based arrays once, then reused by every run of it. */
export interface PreparedNode {
  id: string;
  index: number;
  type: NodeType;
  plan: Plan;
  /** Targets by port, as node indices. */
  next: Record<string, number[]>;
  errorTargets: number[];
  /** For Each only: the loop body in topological order. */
  body?: number[];
}

export interface PreparedDag {
  dag: Dag;
  nodes: PreparedNode[];
  order: number[];
  start: number;
}

const cache = new WeakMap<Dag, PreparedDag>();

export class DagError extends FlowError {
  constructor(message: string) {
    super("DAG_INVALID", message);
  }
}

export function prepareDag(dag: Dag): PreparedDag {
  const hit = cache.get(dag);
  if (hit) return hit;
  const parsed = dagSchema.safeParse(dag);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DagError(`The compiled flow is invalid: ${issue?.path.join(".")}: ${issue?.message}`);
  }
  const ids = Object.keys(dag.nodes);
  const index = new Map(ids.map((id, i) => [id, i]));
  const indexOf = (id: string) => index.get(id);
  const toIdx = (list: readonly string[]) =>
    list.map((id) => {
      const i = index.get(id);
      if (i === undefined) throw new DagError(`An edge points to the unknown node "${id}".`);
      return i;
    });

  const nodes: PreparedNode[] = ids.map((id, i) => {
    const def = dag.nodes[id];
    if (!def) throw new DagError(`Missing node ${id}.`);
    const type = getNodeType(def.type);
    if (!type) throw new DagError(`Node ${id} has the unknown type "${def.type}".`);
    if (def.typeVersion > type.version) {
      throw new DagError(
        `Node ${id} needs ${def.type} v${def.typeVersion}; this engine has v${type.version}.`,
      );
    }
    const next: Record<string, number[]> = {};
    for (const [port, targets] of Object.entries(def.next)) next[port] = toIdx(targets);
    return { id, index: i, type, plan: planValue(def.config, indexOf), next, errorTargets: next.error ?? [] };
  });

  const order = toIdx(dag.order);
  const start = index.get(dag.start);
  if (start === undefined) throw new DagError(`The start node "${dag.start}" does not exist.`);

  const graph = buildGraph(
    ids,
    ids.flatMap((id) =>
      Object.values(dag.nodes[id]?.next ?? {}).flatMap((ts) => ts.map((t) => ({ source: id, target: t }))),
    ),
  );
  for (const n of nodes) {
    if (n.type.role !== "loop") continue;
    const each = dag.nodes[n.id]?.next.each ?? [];
    const inBody = reachableFrom(graph, each);
    n.body = order.filter((i) => inBody.has(ids[i] as string));
  }

  const prepared = { dag, nodes, order, start };
  cache.set(dag, prepared);
  return prepared;
}

/**
 * The one graph helper: adjacency, parents/children, ancestors, reachability, topological order
 * and cycle search. The compiler, the interpreter and the designer's live checks all use it.
 */
export interface GraphEdgeLike {
  source: string;
  target: string;
}

export interface Graph {
  readonly nodes: readonly string[];
  readonly out: ReadonlyMap<string, readonly string[]>;
  readonly in: ReadonlyMap<string, readonly string[]>;
}

/** Build adjacency; edges naming unknown nodes are ignored (the compiler reports them). */
export function buildGraph(nodeIds: Iterable<string>, edges: Iterable<GraphEdgeLike>): Graph {
  const nodes = [...nodeIds];
  const out = new Map<string, string[]>();
  const inc = new Map<string, string[]>();
  for (const id of nodes) {
    out.set(id, []);
    inc.set(id, []);
  }
  for (const e of edges) {
    const o = out.get(e.source);
    const i = inc.get(e.target);
    if (!o || !i) continue;
    if (!o.includes(e.target)) o.push(e.target);
    if (!i.includes(e.source)) i.push(e.source);
  }
  return { nodes, out, in: inc };
}

export const children = (g: Graph, id: string): readonly string[] => g.out.get(id) ?? [];
export const parents = (g: Graph, id: string): readonly string[] => g.in.get(id) ?? [];

function walk(from: Iterable<string>, next: (id: string) => readonly string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...from];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    for (const n of next(id)) {
      if (!seen.has(n)) {
        seen.add(n);
        stack.push(n);
      }
    }
  }
  return seen;
}

/** Nodes that can reach `id` (not including `id` unless it sits on a cycle). */
export const ancestors = (g: Graph, id: string): Set<string> => walk([id], (n) => parents(g, n));
/** Nodes reachable from `id` (not including `id` unless it sits on a cycle). */
export const descendants = (g: Graph, id: string): Set<string> => walk([id], (n) => children(g, n));

/** Nodes reachable from the given roots, roots included. */
export function reachableFrom(g: Graph, roots: Iterable<string>): Set<string> {
  const r = [...roots];
  const seen = walk(r, (n) => children(g, n));
  for (const id of r) seen.add(id);
  return seen;
}

/** Kahn's algorithm. `cyclic` lists nodes left over, i.e. on or behind a cycle. */
export function topologicalOrder(g: Graph): { order: string[]; cyclic: string[] } {
  const indegree = new Map<string, number>();
  for (const id of g.nodes) indegree.set(id, parents(g, id).length);
  const queue = g.nodes.filter((id) => indegree.get(id) === 0);
  const order: string[] = [];
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i] as string;
    order.push(id);
    for (const c of children(g, id)) {
      const d = (indegree.get(c) ?? 0) - 1;
      indegree.set(c, d);
      if (d === 0) queue.push(c);
    }
  }
  const placed = new Set(order);
  return { order, cyclic: g.nodes.filter((id) => !placed.has(id)) };
}

/** One cycle as a node list (first node repeated at the end), or null. Iterative DFS. */
export function findCycle(g: Graph): string[] | null {
  const state = new Map<string, 1 | 2>(); // 1 = on stack, 2 = done
  for (const root of g.nodes) {
    if (state.has(root)) continue;
    const stack: Array<{ id: string; i: number }> = [{ id: root, i: 0 }];
    state.set(root, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { id: string; i: number };
      const kids = children(g, top.id);
      if (top.i < kids.length) {
        const c = kids[top.i++] as string;
        const s = state.get(c);
        if (s === 1) {
          const from = stack.findIndex((f) => f.id === c);
          return [...stack.slice(from).map((f) => f.id), c];
        }
        if (s === undefined) {
          state.set(c, 1);
          stack.push({ id: c, i: 0 });
        }
      } else {
        state.set(top.id, 2);
        stack.pop();
      }
    }
  }
  return null;
}

/** Would adding source → target close a cycle? Cheap: one reachability walk from target. */
export function closesCycle(g: Graph, source: string, target: string): boolean {
  if (source === target) return true;
  return descendants(g, target).has(source);
}

/**
 * "Is a upstream of b?" for every pair, from one pass in topological order with bitsets:
 * ancestors(n) = ∪ over parents p of (ancestors(p) ∪ {p}). O(nodes × edges / 32).
 * Nodes on cycles get no bits (the compiler reports the cycle itself).
 */
export function upstreamIndex(g: Graph): (a: string, b: string) => boolean {
  const idx = new Map(g.nodes.map((id, i) => [id, i]));
  const words = Math.ceil(g.nodes.length / 32) || 1;
  const bits = new Uint32Array(words * g.nodes.length);
  for (const id of topologicalOrder(g).order) {
    const i = idx.get(id) as number;
    const row = i * words;
    for (const p of parents(g, id)) {
      const j = idx.get(p) as number;
      const prow = j * words;
      for (let w = 0; w < words; w++) bits[row + w] = (bits[row + w] as number) | (bits[prow + w] as number);
      bits[row + (j >>> 5)] = (bits[row + (j >>> 5)] as number) | (1 << (j & 31));
    }
  }
  return (a, b) => {
    const i = idx.get(a);
    const j = idx.get(b);
    if (i === undefined || j === undefined) return false;
    return ((bits[j * words + (i >>> 5)] as number) & (1 << (i & 31))) !== 0;
  };
}

import { FlowError } from "../ports/errors";

/**
 * Data pills resolve by walking own properties, never by evaluating anything. Object-model
 * segments are refused outright, so a pill can never reach a prototype or a constructor.
 */
export const PILL_ROOTS = ["inputs", "steps", "vars"] as const;
export type PillRoot = (typeof PILL_ROOTS)[number];

const FORBIDDEN = new Set(["__proto__", "prototype", "constructor"]);

export class PillError extends FlowError {
  constructor(message: string) {
    super("PILL_INVALID", message);
  }
}

export function forbiddenSegment(path: readonly string[]): string | undefined {
  for (const seg of path) if (FORBIDDEN.has(seg)) return seg;
  return undefined;
}

/** Throws a PillError for a malformed path; used once when a resolver is built. */
export function assertPillPath(path: readonly string[]): void {
  const bad = forbiddenSegment(path);
  if (bad !== undefined) {
    throw new PillError(`Data pill ${path.join(".")} uses "${bad}", which is not allowed in a pill path.`);
  }
  const root = path[0];
  if (root !== "inputs" && root !== "steps" && root !== "vars") {
    throw new PillError(`Data pill ${path.join(".")} must start with inputs, steps or vars.`);
  }
  if (root === "steps" && path.length < 2)
    throw new PillError("A steps pill must name a step: steps.<nodeId>.");
}

/** Walk `path` from index `from`; a missing step yields undefined (payload fields may be absent). */
export function walkPath(value: unknown, path: readonly string[], from = 0): unknown {
  let cur = value;
  for (let i = from; i < path.length; i++) {
    if (cur === null || typeof cur !== "object") return undefined;
    const seg = path[i] as string;
    if (FORBIDDEN.has(seg)) throw new PillError(`"${seg}" is not allowed in a pill path.`);
    if (!Object.hasOwn(cur, seg)) return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

/** Resolve a full pill against `{ inputs, steps, vars }` (for tools; the interpreter precompiles). */
export function resolvePill(
  path: readonly string[],
  scope: { inputs: unknown; steps: Record<string, unknown>; vars: unknown },
): unknown {
  assertPillPath(path);
  return walkPath(scope, path);
}

import { evaluateExpression } from "../expressions/expressions";
import type { ExpressionLimits } from "../expressions/limits";
import { isBinding } from "../schema/binding";
import { assertPillPath, walkPath } from "./pills";

/**
 * Bindings are compiled once per DAG into small closures (not code: plain functions chosen by
 * binding kind), so a run only walks data. Constants are resolved once and shared.
 */
export interface RunData {
  inputs: Record<string, unknown>;
  /** Step outputs by node index. */
  outputs: Array<unknown>;
  vars: Record<string, unknown>;
  limits: ExpressionLimits;
  /** `{ inputs, steps, vars }` for expressions; built on demand. */
  expressionData(): unknown;
}

export type Resolver = (d: RunData) => unknown;

export interface Plan {
  /** Set when the value has no bindings other than literals. */
  constant: boolean;
  value?: unknown;
  fn: Resolver;
  /** True when resolving may return a Promise (an expression somewhere below). */
  async: boolean;
}

const constantPlan = (value: unknown): Plan => ({ constant: true, value, fn: () => value, async: false });

function pillPlan(path: readonly string[], indexOf: (id: string) => number | undefined): Plan {
  assertPillPath(path);
  const root = path[0];
  if (root === "inputs") return { constant: false, fn: (d) => walkPath(d.inputs, path, 1), async: false };
  if (root === "vars") return { constant: false, fn: (d) => walkPath(d.vars, path, 1), async: false };
  const idx = indexOf(path[1] as string);
  // A pill into an unknown step resolves to nothing; the compiler reports it beforehand.
  if (idx === undefined) return constantPlan(undefined);
  return { constant: false, fn: (d) => walkPath(d.outputs[idx], path, 2), async: false };
}

export function planValue(value: unknown, indexOf: (id: string) => number | undefined): Plan {
  if (isBinding(value)) {
    if (value.kind === "literal") return constantPlan(value.value);
    if (value.kind === "pill") return pillPlan(value.path, indexOf);
    const source = value.source;
    return {
      constant: false,
      fn: (d) => evaluateExpression(source, d.expressionData(), d.limits),
      async: true,
    };
  }
  if (Array.isArray(value)) {
    const items = value.map((v) => planValue(v, indexOf));
    if (items.every((p) => p.constant)) return constantPlan(items.map((p) => p.value));
    const fns = items.map((p) => p.fn);
    if (!items.some((p) => p.async))
      return { constant: false, fn: (d) => fns.map((f) => f(d)), async: false };
    return { constant: false, fn: (d) => Promise.all(fns.map((f) => f(d))), async: true };
  }
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value);
    const plans = keys.map((k) => planValue((value as Record<string, unknown>)[k], indexOf));
    if (plans.every((p) => p.constant)) {
      const out: Record<string, unknown> = {};
      keys.forEach((k, i) => {
        out[k] = plans[i]?.value;
      });
      return constantPlan(out);
    }
    const fns = plans.map((p) => p.fn);
    if (!plans.some((p) => p.async)) {
      return {
        constant: false,
        fn: (d) => {
          const out: Record<string, unknown> = {};
          for (let i = 0; i < keys.length; i++) out[keys[i] as string] = (fns[i] as Resolver)(d);
          return out;
        },
        async: false,
      };
    }
    return {
      constant: false,
      fn: async (d) => {
        const out: Record<string, unknown> = {};
        for (let i = 0; i < keys.length; i++) out[keys[i] as string] = await (fns[i] as Resolver)(d);
        return out;
      },
      async: true,
    };
  }
  return constantPlan(value);
}

import jsonata from "jsonata";
import { FlowError } from "../ports/errors";
import {
  DEFAULT_EXPRESSION_LIMITS,
  type ExpressionLimits,
  FORBIDDEN_FUNCTIONS,
  FORBIDDEN_SEGMENTS,
} from "./limits";
import { LinearRegex, regexProblem } from "./linear-regex";

/**
 * Expressions are JSONata: a declarative query language with no access to JS globals. We add
 * what it lacks for hostile input: a source length cap, a static check that rejects `$eval`
 * and object-model path steps, JSONata's own timeout/depth/sequence guardrails, a per-step
 * string length cap and a serialized output size cap. Nothing here uses eval, Function or vm.
 */
export class ExpressionError extends FlowError {
  constructor(code: string, message: string) {
    super(code, message);
  }
}

export type ExpressionCheck = { ok: true } | { ok: false; code: string; message: string };

// `type` widened: the parser emits "regex" nodes although the typings call them "regexp".
type Ast = Omit<jsonata.ExprNode, "type"> & { type: string; value?: unknown };

/** Every AST node, without recursion limits of our own (ASTs are bounded by source length). */
function* nodes(root: unknown): Generator<Ast> {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const n = stack.pop();
    if (Array.isArray(n)) {
      for (const x of n) stack.push(x);
    } else if (n !== null && typeof n === "object") {
      const node = n as Record<string, unknown>;
      if (typeof node.type === "string") yield node as unknown as Ast;
      for (const [k, v] of Object.entries(node))
        if (k !== "value" && v !== null && typeof v === "object") stack.push(v);
    }
  }
}

function staticCheck(ast: unknown): ExpressionCheck {
  for (const n of nodes(ast)) {
    if (
      (n.type === "name" || n.type === "string") &&
      typeof n.value === "string" &&
      FORBIDDEN_SEGMENTS.has(n.value)
    ) {
      return {
        ok: false,
        code: "EXPRESSION_FORBIDDEN",
        message: `Expressions may not use "${n.value}": it reaches into the object model, not the data.`,
      };
    }
    if (n.type === "variable" && typeof n.value === "string" && FORBIDDEN_FUNCTIONS.has(n.value)) {
      return { ok: false, code: "EXPRESSION_FORBIDDEN", message: `Expressions may not call $${n.value}.` };
    }
    if (n.type === "regex" && n.value instanceof RegExp) {
      const problem = regexProblem(n.value);
      if (problem) return { ok: false, code: "EXPRESSION_REGEX_UNSUPPORTED", message: problem };
    }
  }
  return { ok: true };
}

interface Compiled {
  expr: jsonata.Expression;
}

// Parsing is costly next to evaluating; flows reuse the same few sources, so cache them.
const cache = new Map<string, Compiled>();
const CACHE_MAX = 2_000;

function limitsKey(l: ExpressionLimits): string {
  return `${l.timeoutMs}|${l.maxDepth}|${l.maxSequence}|${l.maxStringLength}`;
}

/** Parse and statically check a source. Used by the compiler (diagnostics) and at run time. */
export function checkExpression(
  source: string,
  limits: ExpressionLimits = DEFAULT_EXPRESSION_LIMITS,
): ExpressionCheck {
  if (source.length > limits.maxSourceLength) {
    return {
      ok: false,
      code: "EXPRESSION_TOO_LONG",
      message: `The expression is ${source.length} characters long; the limit is ${limits.maxSourceLength}.`,
    };
  }
  let expr: jsonata.Expression;
  try {
    expr = jsonata(source);
  } catch (err) {
    const e = err as { message?: string; position?: number };
    return {
      ok: false,
      code: "EXPRESSION_SYNTAX",
      message: `Syntax error${e.position === undefined ? "" : ` at ${e.position}`}: ${e.message ?? "invalid expression"}`,
    };
  }
  return staticCheck(expr.ast());
}

function compile(source: string, limits: ExpressionLimits): Compiled {
  const key = `${limitsKey(limits)}\u0000${source}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const check = checkExpression(source, limits);
  if (!check.ok) throw new ExpressionError(check.code, check.message);
  const expr = jsonata(source, {
    timeout: limits.timeoutMs,
    stack: limits.maxDepth,
    sequence: limits.maxSequence,
    // Linear-time matching: a backtracking regex cannot be stopped by the timeout above.
    RegexEngine: LinearRegex as unknown as RegExpConstructor,
  });
  // Belt and braces: even if the static check missed a dynamic call, $eval does nothing.
  expr.registerFunction("eval", () => {
    throw new ExpressionError("EXPRESSION_FORBIDDEN", "Expressions may not call $eval.");
  });
  // Stateless, so safe while several runs evaluate the same cached expression at once.
  const maxString = limits.maxStringLength;
  expr.assign(
    Symbol.for("jsonata.__evaluate_exit") as unknown as string,
    (_e: unknown, _i: unknown, _env: unknown, result: unknown) => {
      if (typeof result === "string" && result.length > maxString) {
        throw new ExpressionError(
          "EXPRESSION_TOO_LARGE",
          `The expression built a string longer than ${maxString} characters.`,
        );
      }
    },
  );
  const compiled = { expr };
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(key, compiled);
  return compiled;
}

const JSONATA_CODES: Record<string, string> = {
  D1011: "EXPRESSION_TOO_DEEP",
  D1012: "EXPRESSION_TIMEOUT",
  D2014: "EXPRESSION_TOO_LARGE",
  D2015: "EXPRESSION_TOO_LARGE",
};

function wrap(err: unknown, limits: ExpressionLimits): ExpressionError {
  if (err instanceof ExpressionError) return err;
  const e = err as { code?: string; message?: string };
  const code = (e.code && JSONATA_CODES[e.code]) ?? "EXPRESSION_FAILED";
  if (code === "EXPRESSION_TIMEOUT")
    return new ExpressionError(code, `The expression ran longer than ${limits.timeoutMs} ms.`);
  if (code === "EXPRESSION_TOO_DEEP")
    return new ExpressionError(code, `The expression recursed deeper than ${limits.maxDepth} levels.`);
  if (err instanceof RangeError)
    return new ExpressionError(
      "EXPRESSION_TOO_LARGE",
      `The expression's result is too large: ${err.message}`,
    );
  return new ExpressionError(code, `Expression failed: ${e.message ?? String(err)}`);
}

/**
 * Evaluate `source` against `data` (the run's `{ inputs, steps, vars }`). Data is only ever
 * the input document; it is never turned into source.
 */
export async function evaluateExpression(
  source: string,
  data: unknown,
  limits: ExpressionLimits = DEFAULT_EXPRESSION_LIMITS,
): Promise<unknown> {
  const { expr } = compile(source, limits);
  let result: unknown;
  try {
    result = await expr.evaluate(data);
  } catch (err) {
    throw wrap(err, limits);
  }
  return normalise(result, limits);
}

/** JSONata sequences are arrays with extra flags; return plain JSON and check its size. */
function normalise(result: unknown, limits: ExpressionLimits): unknown {
  if (typeof result === "string" && result.length > limits.maxOutputChars) {
    throw new ExpressionError(
      "EXPRESSION_TOO_LARGE",
      `The expression's result is longer than ${limits.maxOutputChars} characters.`,
    );
  }
  if (result === undefined || result === null || typeof result !== "object") return result;
  if (Object.hasOwn(result, "_jsonata_lambda") || Object.hasOwn(result, "_jsonata_function")) {
    throw new ExpressionError("EXPRESSION_FAILED", "The expression returns a function, not a value.");
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(result);
  } catch (err) {
    throw wrap(err, limits);
  }
  if (json === undefined) return undefined;
  if (json.length > limits.maxOutputChars) {
    throw new ExpressionError(
      "EXPRESSION_TOO_LARGE",
      `The expression's result is ${json.length} characters of JSON; the limit is ${limits.maxOutputChars}.`,
    );
  }
  return JSON.parse(json);
}

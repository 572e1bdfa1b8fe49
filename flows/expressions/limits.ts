/** Limits for expressions. Record data is input, never source; these bound what source can do. */
export interface ExpressionLimits {
  /** Longest accepted expression source, in characters. */
  maxSourceLength: number;
  /** Wall-clock budget of one evaluation, in ms. */
  timeoutMs: number;
  /** Deepest evaluation stack (non-tail recursion). */
  maxDepth: number;
  /** Longest sequence/array any step may build. */
  maxSequence: number;
  /** Longest string any step may build. */
  maxStringLength: number;
  /** Largest result, measured as JSON characters. */
  maxOutputChars: number;
}

export const DEFAULT_EXPRESSION_LIMITS: Readonly<ExpressionLimits> = {
  maxSourceLength: 2_000,
  timeoutMs: 250,
  maxDepth: 200,
  maxSequence: 100_000,
  maxStringLength: 1_000_000,
  maxOutputChars: 1_000_000,
};

/** Path steps that reach into the JS object model rather than into data. */
export const FORBIDDEN_SEGMENTS: ReadonlySet<string> = new Set(["__proto__", "prototype", "constructor"]);

/** JSONata functions that would evaluate data as code, or reach outside the data. */
export const FORBIDDEN_FUNCTIONS: ReadonlySet<string> = new Set(["eval"]);

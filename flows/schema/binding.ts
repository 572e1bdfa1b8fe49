import { z } from "zod";

/**
 * A node input: a constant, a data pill (a path into the run's data) or an expression.
 * Pills are walked, never evaluated; expressions go through the sandboxed evaluator.
 */
export const literalBindingSchema = z.object({ kind: z.literal("literal"), value: z.unknown() });
export const pillBindingSchema = z.object({ kind: z.literal("pill"), path: z.array(z.string()).min(1) });
export const expressionBindingSchema = z.object({ kind: z.literal("expression"), source: z.string() });

export const bindingSchema = z.discriminatedUnion("kind", [
  literalBindingSchema,
  pillBindingSchema,
  expressionBindingSchema,
]);

export type LiteralBinding = z.infer<typeof literalBindingSchema>;
export type PillBinding = z.infer<typeof pillBindingSchema>;
export type ExpressionBinding = z.infer<typeof expressionBindingSchema>;
export type Binding = z.infer<typeof bindingSchema>;

/** An optional binding defaults to an empty literal so forms always have something to edit. */
export const optionalBinding = () => bindingSchema.default({ kind: "literal", value: null });

export const literal = (value: unknown): LiteralBinding => ({ kind: "literal", value });
/** `pill("steps.lookup.found")` or `pill(["steps", "lookup", "found"])`. */
export const pill = (path: string | string[]): PillBinding => ({
  kind: "pill",
  path: typeof path === "string" ? path.split(".") : path,
});
export const expression = (source: string): ExpressionBinding => ({ kind: "expression", source });

export function isBinding(value: unknown): value is Binding {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const kind = (value as { kind?: unknown }).kind;
  if (kind === "literal") return "value" in value;
  if (kind === "pill") return Array.isArray((value as { path?: unknown }).path);
  if (kind === "expression") return typeof (value as { source?: unknown }).source === "string";
  return false;
}

/** True when a binding carries nothing: an empty literal (null, undefined, "" or blank). */
export function isEmptyBinding(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (!isBinding(value)) return false;
  if (value.kind === "literal") {
    const v = value.value;
    return v === undefined || v === null || (typeof v === "string" && v.trim() === "");
  }
  if (value.kind === "pill") return value.path.length === 0;
  return value.source.trim() === "";
}

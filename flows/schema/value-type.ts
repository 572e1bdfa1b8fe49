import { z } from "zod";

/**
 * A small type-descriptor tree describing node outputs and flow inputs, so the designer
 * can list pills and the compiler can check pill paths.
 * `open: true` on an object means keys beyond `fields` may exist (e.g. payload fields).
 */
export type ValueKind = "string" | "number" | "boolean" | "object" | "array" | "any";

export interface ValueType {
  type: ValueKind;
  label?: string;
  fields?: Record<string, ValueType>;
  items?: ValueType;
  open?: boolean;
}

export const valueKindSchema = z.enum(["string", "number", "boolean", "object", "array", "any"]);

export const valueTypeSchema: z.ZodType<ValueType> = z.lazy(() =>
  z.object({
    type: valueKindSchema,
    label: z.string().optional(),
    fields: z.record(z.string(), valueTypeSchema).optional(),
    items: valueTypeSchema.optional(),
    open: z.boolean().optional(),
  }),
);

export const t = {
  string: (label?: string): ValueType => ({ type: "string", ...(label ? { label } : {}) }),
  number: (label?: string): ValueType => ({ type: "number", ...(label ? { label } : {}) }),
  boolean: (label?: string): ValueType => ({ type: "boolean", ...(label ? { label } : {}) }),
  any: (label?: string): ValueType => ({ type: "any", ...(label ? { label } : {}) }),
  object: (fields: Record<string, ValueType>, opts: { open?: boolean; label?: string } = {}): ValueType => ({
    type: "object",
    fields,
    ...opts,
  }),
  array: (items: ValueType, label?: string): ValueType => ({
    type: "array",
    items,
    ...(label ? { label } : {}),
  }),
};

/** Infer a descriptor from a sample value (Transform Payload shapes its outputs this way). */
export function inferValueType(sample: unknown, depth = 0): ValueType {
  if (depth > 12) return { type: "any" };
  if (typeof sample === "string") return { type: "string" };
  if (typeof sample === "number") return { type: "number" };
  if (typeof sample === "boolean") return { type: "boolean" };
  if (Array.isArray(sample)) {
    return {
      type: "array",
      items: sample.length > 0 ? inferValueType(sample[0], depth + 1) : { type: "any" },
    };
  }
  if (sample !== null && typeof sample === "object") {
    const fields: Record<string, ValueType> = {};
    for (const [k, v] of Object.entries(sample)) fields[k] = inferValueType(v, depth + 1);
    // Samples show typical keys, not all of them: keep the object open.
    return { type: "object", fields, open: true };
  }
  return { type: "any" };
}

export type PathCheck =
  | { ok: true; type: ValueType }
  | { ok: false; reason: "unknown"; at: number }
  | { ok: false; reason: "mismatch"; at: number; found: ValueKind };

/** Walk a path through a descriptor; `any` and open objects accept anything below them. */
export function typeAtPath(root: ValueType, path: readonly string[]): PathCheck {
  let cur: ValueType = root;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i] as string;
    if (cur.type === "any") return { ok: true, type: { type: "any" } };
    if (cur.type === "object") {
      const next = cur.fields?.[seg];
      if (next && Object.hasOwn(cur.fields ?? {}, seg)) cur = next;
      else if (cur.open || !cur.fields) return { ok: true, type: { type: "any" } };
      else return { ok: false, reason: "unknown", at: i };
    } else if (cur.type === "array") {
      if (/^\d+$/.test(seg)) cur = cur.items ?? { type: "any" };
      else if (seg === "length") cur = { type: "number" };
      else return { ok: false, reason: "mismatch", at: i, found: "array" };
    } else {
      if (cur.type === "string" && seg === "length") cur = { type: "number" };
      else return { ok: false, reason: "mismatch", at: i, found: cur.type };
    }
  }
  return { ok: true, type: cur };
}

/** Can a value of type `from` feed an input declared as `to`? Unknowns are given the benefit. */
export function isAssignable(from: ValueKind, to: ValueKind): boolean {
  return from === "any" || to === "any" || from === to;
}

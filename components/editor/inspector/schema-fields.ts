import type { z } from "zod";

/** Just enough zod 4 introspection to generate inspector forms from a node's config schema. */
export type FieldKind =
  | { kind: "binding" }
  | { kind: "enum"; options: string[] }
  | { kind: "boolean" }
  | { kind: "string" }
  | { kind: "number" }
  | { kind: "bindingMap" }
  | { kind: "rows" }
  | { kind: "assignments" }
  | { kind: "json" };

interface Def {
  type: string;
  innerType?: z.ZodType;
  entries?: Record<string, string>;
  options?: z.ZodType[];
  valueType?: z.ZodType;
  element?: z.ZodType;
  shape?: Record<string, z.ZodType>;
}

const defOf = (s: z.ZodType): Def => (s as unknown as { def: Def }).def;

function unwrap(s: z.ZodType): z.ZodType {
  let cur = s;
  for (let d = defOf(cur); (d.type === "default" || d.type === "optional") && d.innerType; d = defOf(cur)) {
    cur = d.innerType;
  }
  return cur;
}

const isBindingSchema = (s: z.ZodType) => {
  const d = defOf(unwrap(s));
  return d.type === "union" && (d.options?.length ?? 0) === 3;
};

export function fieldKind(key: string, schema: z.ZodType): FieldKind {
  const s = unwrap(schema);
  const d = defOf(s);
  if (isBindingSchema(s)) return { kind: "binding" };
  if (d.type === "enum") return { kind: "enum", options: Object.values(d.entries ?? {}) };
  if (d.type === "boolean") return { kind: "boolean" };
  if (d.type === "string") return { kind: "string" };
  if (d.type === "number") return { kind: "number" };
  if (d.type === "record" && d.valueType && isBindingSchema(d.valueType)) return { kind: "bindingMap" };
  if (d.type === "array" && key === "rows") return { kind: "rows" };
  if (d.type === "array" && key === "assignments") return { kind: "assignments" };
  return { kind: "json" };
}

/** The config schema's fields in declaration order. */
export function schemaFields(schema: z.ZodType): Array<[string, z.ZodType]> {
  const shape = (unwrap(schema) as unknown as { shape?: Record<string, z.ZodType> }).shape;
  return shape ? Object.entries(shape) : [];
}

export const humanize = (key: string) =>
  key
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replaceAll("_", " ")
    .replace(/^./, (c) => c.toUpperCase());

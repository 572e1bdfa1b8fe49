import { isDeepStrictEqual } from "node:util";

/** One difference between two documents, at a JSON path such as `filter.groups[0].value`. */
export interface FieldDiff {
  path: string;
  from: unknown;
  to: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/** The leaf-level differences between `from` and `to` (absent = undefined). */
export function diffValues(from: unknown, to: unknown, path = ""): FieldDiff[] {
  if (isDeepStrictEqual(from, to)) return [];
  if (isObject(from) && isObject(to)) {
    const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
    return keys.flatMap((k) => diffValues(from[k], to[k], path ? `${path}.${k}` : k));
  }
  if (Array.isArray(from) && Array.isArray(to) && from.length === to.length) {
    return from.flatMap((v, i) => diffValues(v, to[i], `${path}[${i}]`));
  }
  return [{ path: path || "(whole)", from, to }];
}

/** A diff line for the terminal: long values are cut so a changed graph stays readable. */
export function formatValue(value: unknown, max = 120): string {
  if (value === undefined) return "(absent)";
  const text = JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

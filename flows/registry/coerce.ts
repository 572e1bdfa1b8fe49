import { DataError } from "../ports/errors";
import type { RecordValues } from "../ports/ports";

/**
 * Resolved inputs arrive as `unknown` (pills can point anywhere). These helpers turn them into
 * the shape a node needs or throw a DataError naming the input, so the journal says which.
 */
export function str(value: unknown, field: string): string {
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  throw new DataError(`${field} is required and must be text (got ${kindOf(value)}).`, {
    code: "INPUT_INVALID",
    field,
  });
}

export function optStr(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  return str(value, field);
}

export function num(value: unknown, field: string): number {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof n === "number" && Number.isFinite(n)) return n;
  throw new DataError(`${field} must be a number (got ${kindOf(value)}).`, {
    code: "INPUT_INVALID",
    field,
  });
}

export function obj(value: unknown, field: string): RecordValues {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) return value as RecordValues;
  throw new DataError(`${field} must be an object (got ${kindOf(value)}).`, {
    code: "INPUT_INVALID",
    field,
  });
}

export function optObj(value: unknown, field: string): RecordValues | undefined {
  return value === undefined || value === null ? undefined : obj(value, field);
}

export function arr(value: unknown, field: string): unknown[] {
  if (Array.isArray(value)) return value;
  if (value === undefined || value === null) return [];
  throw new DataError(`${field} must be a list (got ${kindOf(value)}).`, { code: "INPUT_INVALID", field });
}

export function strList(value: unknown, field: string): string[] {
  if (typeof value === "string") {
    return value
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
  }
  return arr(value, field).map((v, i) => str(v, `${field}[${i}]`));
}

export function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === "string") return value !== "" && value !== "false" && value !== "0";
  return Boolean(value);
}

function kindOf(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return `a ${typeof value}`;
}

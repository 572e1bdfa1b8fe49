import { z } from "zod";
import { ApiError } from "../http/responses";

// sysparm_* query parameters of the Table and Attachment APIs, validated once here so handlers
// work with typed values. Invalid values are a 400 that names the parameter.

export const defaultLimit = 10_000;
/** Upper bound of one page: a larger page would be built in memory in one piece. */
export const maxLimit = 100_000;

const integerText = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const flag = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(["true", "false"]))
  .transform((v) => v === "true");

const schema = z.object({
  sysparm_query: z.string().default(""),
  sysparm_fields: z
    .string()
    .transform((text) =>
      text
        .split(",")
        .map((f) => f.trim())
        .filter((f) => f !== ""),
    )
    .optional(),
  sysparm_limit: integerText(1, maxLimit).default(defaultLimit),
  sysparm_offset: integerText(0, Number.MAX_SAFE_INTEGER).default(0),
  sysparm_display_value: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(["true", "false", "all"]))
    .default("false"),
  sysparm_exclude_reference_link: flag.default(false),
});

export type DisplayMode = "true" | "false" | "all";

export interface TableParams {
  query: string;
  /** Requested fields, or undefined for all of them. */
  fields: readonly string[] | undefined;
  limit: number;
  offset: number;
  displayValue: DisplayMode;
  excludeReferenceLink: boolean;
}

export function parseTableParams(search: URLSearchParams): TableParams {
  const raw: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = search.get(key);
    if (value !== null) raw[key] = value;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? "query parameter");
    throw new ApiError(400, `Invalid ${name}`, `"${raw[name] ?? ""}": ${issue?.message ?? "invalid"}`);
  }
  const p = parsed.data;
  return {
    query: p.sysparm_query,
    fields: p.sysparm_fields && p.sysparm_fields.length > 0 ? p.sysparm_fields : undefined,
    limit: p.sysparm_limit,
    offset: p.sysparm_offset,
    displayValue: p.sysparm_display_value,
    excludeReferenceLink: p.sysparm_exclude_reference_link,
  };
}

import type { FieldDefinition, TableDefinition } from "../tables/types";
import { isSystemField } from "../tables/types";
import { badRequest } from "../util/errors";
import { parseDateTime } from "../util/time";
import type { FieldValues } from "./types";

export interface JournalInput {
  element: string;
  value: string;
}

export interface NormalizedInput {
  /** Non-journal field values, as stored strings. */
  values: FieldValues;
  /** New journal entries to append. */
  journal: JournalInput[];
}

/** Resolves a reference given as sys_id or display value to a sys_id, or null when none matches. */
export type ReferenceResolver = (table: string, value: string) => string | null;

/**
 * Validates and converts caller input (Table API body, UI form, flow) into stored strings.
 * Every problem is a 400 that names the field, so a caller knows what to fix.
 */
export function normalizeInput(
  table: TableDefinition,
  input: Record<string, unknown>,
  resolveReference: ReferenceResolver,
): NormalizedInput {
  const values: FieldValues = {};
  const journal: JournalInput[] = [];
  const fields = new Map(table.fields.map((f) => [f.name, f]));
  for (const [name, raw] of Object.entries(input)) {
    if (isSystemField(name)) continue; // set by the record service only
    const field = fields.get(name);
    if (!field) {
      throw badRequest(
        `Unknown field "${name}" for table ${table.name}`,
        `Fields of ${table.name}: ${table.fields.map((f) => f.name).join(", ")}`,
        name,
      );
    }
    if (field.readOnly) continue; // e.g. number and priority are computed
    const text = toText(field, raw);
    if (field.type === "journal") {
      if (text.trim() !== "") journal.push({ element: name, value: text });
      continue;
    }
    values[name] = convert(field, text, resolveReference);
  }
  return { values, journal };
}

/**
 * The (table, value) pairs `normalizeInput` will resolve, so a caller can look them up before
 * (in its transaction's plan) and hand over a resolver that answers from what it found.
 */
export function referenceLookups(
  table: TableDefinition,
  input: Record<string, unknown>,
): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const field of table.fields) {
    if (field.type !== "reference" || field.readOnly || !(field.name in input)) continue;
    let text: string;
    try {
      text = toText(field, input[field.name]).trim();
    } catch {
      continue; // normalizeInput names the field
    }
    if (text !== "") out.push([field.reference ?? "", text]);
  }
  return out;
}

function toText(field: FieldDefinition, raw: unknown): string {
  if (raw === null || raw === undefined) return "";
  if (typeof raw === "string") return raw;
  if (typeof raw === "number" || typeof raw === "boolean") return String(raw);
  // A reference given as { value, link } (what the Table API returns) is accepted back.
  if (typeof raw === "object" && "value" in raw && typeof raw.value === "string") return raw.value;
  throw badRequest(
    `Invalid value for field ${field.name}`,
    "Expected a string, number or boolean",
    field.name,
  );
}

function convert(field: FieldDefinition, text: string, resolveReference: ReferenceResolver): string {
  if (text === "") {
    if (field.mandatory) throw badRequest(`Field ${field.name} is mandatory`, "", field.name);
    return "";
  }
  if (field.maxLength !== undefined && text.length > field.maxLength) {
    throw badRequest(
      `Field ${field.name} is too long`,
      `${text.length} characters; at most ${field.maxLength} allowed`,
      field.name,
    );
  }
  switch (field.type) {
    case "integer":
      if (!/^-?\d+$/.test(text.trim())) {
        throw badRequest(
          `Invalid integer for field ${field.name}`,
          `"${text}" is not a whole number`,
          field.name,
        );
      }
      return String(Number.parseInt(text, 10));
    case "boolean": {
      const value = text.trim().toLowerCase();
      if (!["true", "false", "1", "0"].includes(value)) {
        throw badRequest(
          `Invalid boolean for field ${field.name}`,
          `"${text}" is not true or false`,
          field.name,
        );
      }
      return value === "true" || value === "1" ? "true" : "false";
    }
    case "datetime": {
      const parsed = parseDateTime(text);
      if (!parsed) {
        throw badRequest(
          `Invalid date-time for field ${field.name}`,
          `"${text}" is not "YYYY-MM-DD HH:MM:SS" (UTC) or ISO 8601`,
          field.name,
        );
      }
      return parsed;
    }
    case "choice": {
      const choices = field.choices ?? [];
      const match = choices.find((c) => c.value === text) ?? choices.find((c) => c.label === text);
      if (!match) {
        throw badRequest(
          `Invalid choice value "${text}" for field ${field.name}`,
          `Allowed values: ${choices.map((c) => `${c.value} (${c.label})`).join(", ")}`,
          field.name,
        );
      }
      return match.value;
    }
    case "reference": {
      const target = field.reference ?? "";
      const sysId = resolveReference(target, text.trim());
      if (!sysId) {
        throw badRequest(
          `Invalid reference for field ${field.name}`,
          `No ${target} record has sys_id or display value "${text}"`,
          field.name,
        );
      }
      return sysId;
    }
    default:
      return text;
  }
}

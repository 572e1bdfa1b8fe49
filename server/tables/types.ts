import { z } from "zod";

export const fieldTypes = [
  "string",
  "text",
  "integer",
  "boolean",
  "datetime",
  "choice",
  "reference",
  "journal",
] as const;
export type FieldType = (typeof fieldTypes)[number];

export const choiceSchema = z.object({ value: z.string(), label: z.string() });
export type Choice = z.infer<typeof choiceSchema>;

export const fieldDefinitionSchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/),
  label: z.string(),
  type: z.enum(fieldTypes),
  mandatory: z.boolean().optional(),
  maxLength: z.number().int().positive().optional(),
  choices: z.array(choiceSchema).optional(), // for type "choice"
  reference: z.string().optional(), // referenced table, for type "reference"
  defaultValue: z.string().optional(),
  readOnly: z.boolean().optional(), // set by the system only (e.g. number)
  unique: z.boolean().optional(), // no two records of the table may share a non-empty value
});
export type FieldDefinition = z.infer<typeof fieldDefinitionSchema>;

export const tableDefinitionSchema = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/),
  label: z.string(),
  numberPrefix: z.string().nullable(),
  displayField: z.string(),
  /** Further fields a reference may be given by (besides sys_id and the display field). */
  lookupFields: z.array(z.string()).optional(),
  fields: z.array(fieldDefinitionSchema),
});
export type TableDefinition = z.infer<typeof tableDefinitionSchema>;

/** Columns every record has; they are set by the record service, never by callers. */
export const systemFields = [
  "sys_id",
  "sys_created_on",
  "sys_created_by",
  "sys_updated_on",
  "sys_updated_by",
  "sys_mod_count",
  "sys_domain",
] as const;
export type SystemField = (typeof systemFields)[number];

export function isSystemField(name: string): name is SystemField {
  return (systemFields as readonly string[]).includes(name);
}

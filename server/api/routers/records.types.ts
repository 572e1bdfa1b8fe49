import { z } from "zod";
import { fieldDefinitionSchema } from "../../tables/types";

// Input and output shapes of the records procedures (the contract the UI is typed against).

const tableName = z.string().regex(/^[a-z][a-z0-9_]*$/, "A table name is lower case");
const sysId = z.string().regex(/^[0-9a-f]{32}$/, "A sys_id is 32 hex characters");
const fieldValues = z.record(z.string(), z.string());

export const tableViewSchema = z.object({
  name: z.string(),
  label: z.string(),
  plural: z.string(),
  numberPrefix: z.string().nullable(),
  displayField: z.string(),
  fields: z.array(fieldDefinitionSchema),
  columns: z.array(z.string()),
  search: z.array(z.string()),
  orderBy: z.object({ field: z.string(), descending: z.boolean() }),
  form: z.array(z.object({ title: z.string().nullable(), fields: z.array(z.string()) })),
  fieldHints: z.record(z.string(), z.string()),
  canWrite: z.boolean(),
});
export type TableViewOutput = z.infer<typeof tableViewSchema>;

export const listInput = z.object({
  table: tableName,
  /** Encoded query (filter, and ORDERBY terms) exactly as the user sees it. */
  query: z.string().max(4000).default(""),
  limit: z.number().int().min(1).max(100).default(20),
  offset: z.number().int().min(0).default(0),
  /** Extra sort, appended to the query's own ORDERBY terms. */
  orderBy: z.object({ field: z.string(), descending: z.boolean() }).optional(),
});

export const columnSchema = z.object({ name: z.string(), label: z.string(), type: z.string() });

export const listOutput = z.object({
  columns: z.array(columnSchema),
  rows: z.array(z.object({ sysId: z.string(), values: fieldValues, display: fieldValues })),
  total: z.number().int(),
  query: z.string(),
});

export const recordRef = z.object({ table: tableName, sysId });

export const journalEntrySchema = z.object({
  entryId: z.string(),
  element: z.string(),
  elementLabel: z.string(),
  value: z.string(),
  createdBy: z.string(),
  authorName: z.string(),
  createdOn: z.string(),
});

export const getOutput = z.object({
  values: fieldValues,
  display: fieldValues,
  journal: z.array(journalEntrySchema),
  canWrite: z.boolean(),
});

export const createInput = z.object({ table: tableName, values: fieldValues });
export const updateInput = z.object({ table: tableName, sysId, values: fieldValues });
export const writeOutput = z.object({ sysId: z.string(), display: z.string() });

export const addJournalInput = z.object({
  table: tableName,
  sysId,
  element: z.string(),
  value: z.string().trim().min(1, "Write something first").max(32_000),
});

export const referenceSearchInput = z.object({
  table: tableName,
  text: z.string().max(200).default(""),
  limit: z.number().int().min(1).max(50).default(8),
  /** Look up exactly this record (a picker showing a stored value). */
  sysId: sysId.optional(),
});

export const referenceSearchOutput = z.array(
  z.object({ sysId: z.string(), display: z.string(), detail: z.string() }),
);

export const historyOutput = z.array(
  z.object({
    id: z.number().int(),
    at: z.string(),
    user: z.string(),
    origin: z.string(),
    operation: z.string(),
    field: z.string().nullable(),
    fieldLabel: z.string().nullable(),
    oldValue: z.string().nullable(),
    newValue: z.string().nullable(),
  }),
);

import { z } from "zod";

// Input schemas of the sync configuration records (SPEC 2): the API and the UI validate with these.

const operator = z.enum([
  "is",
  "is_not",
  "one_of",
  "empty",
  "not_empty",
  "contains",
  "starts_with",
  "gt",
  "lt",
  "changes",
  "changes_to",
  "changes_from",
]);
export type FilterOperator = z.infer<typeof operator>;

export const filterConditionSchema = z.object({
  field: z.string().min(1),
  operator,
  value: z.string().default(""),
});
export type FilterCondition = z.infer<typeof filterConditionSchema>;

export const filterGroupSchema = z.object({
  match: z.enum(["all", "any"]).default("all"),
  conditions: z.array(filterConditionSchema).default([]),
});

/** Groups of conditions; `match` says whether all groups or any group must hold. Empty = always. */
export const captureFilterSchema = z.object({
  match: z.enum(["all", "any"]).default("all"),
  groups: z.array(filterGroupSchema).default([]),
});
export type CaptureFilter = z.infer<typeof captureFilterSchema>;

export const definitionInput = z.object({
  name: z.string().trim().min(1, "Name is required").max(100),
  description: z.string().max(2000).default(""),
  domain: z.string().default("global"),
});

export const processEventInput = z.object({
  definitionId: z.string().min(1),
  name: z.string().trim().min(1, "Name is required").max(100),
  domain: z.string().default("global"),
});

export const captureInput = z.object({
  definitionId: z.string().min(1),
  processEventId: z.string().min(1),
  name: z.string().trim().min(1, "Name is required").max(100),
  state: z.enum(["active", "inactive"]).default("active"),
  order: z.number().int().default(100),
  sourceTable: z.string().min(1),
  filter: captureFilterSchema.default({ match: "all", groups: [] }),
  operations: z
    .array(z.enum(["create", "update", "delete"]))
    .min(1, "Pick at least one operation")
    .default(["create", "update", "delete"]),
  includeFields: z.array(z.string()).default([]),
  includeJournal: z.array(z.string()).default([]),
  includeAttachments: z.boolean().default(false),
  attachmentMode: z.enum(["deltas", "all"]).default("deltas"),
  ignoreNonInteractive: z.boolean().default(false),
  domain: z.string().default("global"),
});
export type CaptureInput = z.infer<typeof captureInput>;

export const remoteSystemInput = z.object({
  definitionId: z.string().nullable().default(null),
  name: z.string().trim().min(1, "Name is required").max(100),
  description: z.string().max(2000).default(""),
  domain: z.string().default("global"),
  externalId: z.string().default(""),
  baseUrl: z.string().url("Connection must be a URL such as http://localhost:3001"),
  outboundUser: z.string().default(""),
  /** Write-only: omitted or undefined keeps the stored secret. */
  outboundSecret: z.string().optional(),
  signingSecret: z.string().optional(),
  inboundApiUserId: z.string().nullable().default(null),
  runAsUserId: z.string().nullable().default(null),
  errorSubflowId: z.string().nullable().default(null),
  retryTimes: z.number().int().min(0).max(100).default(5),
  retryIntervalMs: z.number().int().min(10).max(3_600_000).default(1000),
  retryBackoff: z.enum(["fixed", "exponential"]).default("exponential"),
  autoRecover: z.boolean().default(false),
  /** Alert when the oldest ready row to or from this remote is older than this (ms); null = off. */
  alertQueueAgeMs: z
    .number()
    .int()
    .min(1000)
    .max(30 * 86_400_000)
    .nullable()
    .default(null),
  /** Alert when at least this % of the last hour's finished rows failed; null = off. */
  alertErrorRatePct: z.number().int().min(1).max(100).nullable().default(null),
});
export type RemoteSystemInput = z.infer<typeof remoteSystemInput>;

export const flowBindingInput = z.object({
  direction: z.enum(["outbound", "inbound"]),
  definitionId: z.string().nullable().default(null),
  processEventId: z.string().min(1),
  remoteSystemId: z.string().min(1),
  flowId: z.string().min(1),
  active: z.boolean().default(true),
});
export type FlowBindingInput = z.infer<typeof flowBindingInput>;

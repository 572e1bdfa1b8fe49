import { z } from "zod";

/** The captured payload of SPEC 3.1, as it travels on the wire and arrives in Transform Payload. */
export const changedFieldSchema = z.object({
  key: z.string(),
  value: z.unknown(),
  display_value: z.unknown().optional(),
  previous_value: z.unknown().optional(),
  changed: z.boolean().default(true),
  clock: z.unknown().optional(),
});

export const capturedPayloadSchema = z.object({
  capture_metadata: z
    .object({
      changed_by: z.string().optional(),
      timestamp: z.string().optional(),
      capture_definition: z.string().optional(),
      operation: z.enum(["create", "update", "delete"]).optional(),
      source_table: z.string().optional(),
      sys_id: z.string().optional(),
    })
    .loose()
    .default({}),
  changed_fields: z.array(changedFieldSchema).default([]),
  journal_entries: z
    .array(
      z
        .object({
          element: z.string(),
          value: z.string(),
          created_by: z.string().optional(),
          created_on: z.string().optional(),
          entry_id: z.string().optional(),
        })
        .loose(),
    )
    .default([]),
  attachment_metadata: z
    .array(
      z.object({
        key: z.string(),
        hash: z.string(),
        file_name: z.string(),
        content_type: z.string(),
        size_bytes: z.number(),
      }),
    )
    .default([]),
});

export type CapturedPayload = z.infer<typeof capturedPayloadSchema>;
export type ChangedField = z.infer<typeof changedFieldSchema>;

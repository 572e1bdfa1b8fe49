import { z } from "zod";

// The wire protocol's bodies (SPEC 3.3), validated on both sides. A folder of its own, beneath
// both the transport (which sends and receives them) and the inbound queue (which stores them).

/** W3C Trace Context (traceparent version 00, and tracestate) of the step that sent a message. */
export const traceContextSchema = z.object({
  traceparent: z.string().regex(/^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/, "a W3C traceparent"),
  tracestate: z.string().max(512).optional(),
});

export const wireMessageSchema = z.object({
  id: z.string().min(1).max(200),
  process_event: z.string().min(1).max(100),
  operation: z.enum(["create", "update", "delete"]),
  sender_correlation_id: z.string().min(1).max(100),
  receiver_correlation_id: z.string().max(100).nullish(),
  lane_sequence: z.number().int().nonnegative(),
  payload: z.record(z.string(), z.unknown()),
  /** Optional: lets the receiver continue the sender's trace (one trace per record's journey). */
  trace_context: traceContextSchema.optional(),
});
export type WireMessage = z.infer<typeof wireMessageSchema>;

export const messageBatchSchema = z.object({
  messages: z.array(wireMessageSchema).min(1, "A batch holds at least one message").max(1000),
});

export const messageResultSchema = z.object({
  id: z.string(),
  status: z.enum(["accepted", "duplicate", "rejected"]),
  sequence: z.number().int().nullable(),
  receiver_correlation_id: z.string().nullable(),
  error: z.string().optional(),
});
export type MessageResult = z.infer<typeof messageResultSchema>;

export const batchResponseSchema = z.object({ results: z.array(messageResultSchema) });

export const validateRequestSchema = z.object({
  /** The caller's own remote-system id for us (must equal our record's external id). */
  caller_remote_system_id: z.string().min(1),
  /** The id the caller believes our record for it has (its external id). */
  expected_remote_system_id: z.string().min(1),
  instance: z.string().optional(),
});

export const validateResponseSchema = z.object({
  ok: z.boolean(),
  check: z.string().optional(), // which check failed
  message: z.string(),
  instance: z.string().optional(),
});

/** "messages[3].process_event: Required" — names the field a sender must fix. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = issue.path.reduce<string>(
        (acc, part) =>
          typeof part === "number" ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part),
        "",
      );
      return `${path || "body"}: ${issue.message}`;
    })
    .join("; ");
}

import { z } from "zod";
import { DataError, FlowError, RetriableError } from "../ports/errors";
import { num, optStr, str } from "../registry/coerce";
import { defineNodeType } from "../registry/types";
import { bindingSchema, literal, optionalBinding } from "../schema/binding";
import { t } from "../schema/value-type";

const configSchema = z.object({
  remoteSystem: bindingSchema,
  processEvent: bindingSchema,
  operation: bindingSchema,
  payload: bindingSchema,
  /** Empty for a record not yet correlated: Send then generates the local correlation id. */
  senderCorrelationId: optionalBinding(),
  receiverCorrelationId: optionalBinding(),
  laneSequence: bindingSchema.default(literal(0)),
});

/**
 * A new record's local correlation id, derived from the step's idempotency key: a run repeated
 * after a crash (whose first message the receiver already stored) sends and records the same
 * id, so both sides keep agreeing on it. Four FNV-1a passes give 32 hex characters.
 */
export function correlationIdFor(key: string): string {
  let out = "";
  for (const seed of [0x811c9dc5, 0x01000193, 0x9e3779b9, 0x85ebca6b]) {
    let h = seed >>> 0;
    for (let i = 0; i < key.length; i++) {
      h ^= key.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    out += h.toString(16).padStart(8, "0");
  }
  return out;
}

/** Sends the captured payload. The message id is the step's idempotency key, so a resend dedups. */
export const sendPayload = defineNodeType({
  id: "send_payload",
  version: 1,
  label: "Send Captured Payload",
  group: "Sync",
  description: "Sends the captured payload to the remote system as one message of the record's lane.",
  ports: ["next"],
  configSchema,
  inputs: {
    remoteSystem: { type: "string", label: "Remote system", required: true },
    processEvent: { type: "string", label: "Process event", required: true },
    operation: { type: "string", label: "Operation", required: true },
    payload: { type: "any", label: "Payload", required: true },
    senderCorrelationId: { type: "string", label: "Local correlation id" },
    receiverCorrelationId: { type: "string", label: "Remote correlation id" },
    laneSequence: { type: "number", label: "Lane sequence" },
  },
  outputs: () =>
    t.object({
      status: t.string("Status"),
      messageId: t.string("Message id"),
      senderCorrelationId: t.string("Local correlation id"),
      receiverCorrelationId: t.string("Remote correlation id"),
      newCorrelation: t.boolean("New correlation"),
    }),
  sideEffects: true,
  async execute(ctx, c) {
    const given = optStr(c.senderCorrelationId, "senderCorrelationId");
    const senderCorrelationId = given ?? correlationIdFor(ctx.idempotencyKey);
    const receiver = optStr(c.receiverCorrelationId, "receiverCorrelationId") ?? null;
    const messageId = ctx.idempotencyKey;
    const message = {
      id: messageId,
      process_event: str(c.processEvent, "processEvent"),
      operation: str(c.operation, "operation"),
      sender_correlation_id: senderCorrelationId,
      receiver_correlation_id: receiver,
      lane_sequence: num(c.laneSequence, "laneSequence"),
      payload: c.payload,
    };
    let result: Awaited<ReturnType<typeof ctx.ports.transport.send>>;
    try {
      result = await ctx.ports.transport.send(
        str(c.remoteSystem, "remoteSystem"),
        message,
        ctx.idempotencyKey,
      );
    } catch (error) {
      // A transport that throws something unclassified may have delivered the message: the
      // outcome is unknown, so the queue retries it (the receiver dedups by message id). Only a
      // classified refusal (DataError) is a data error.
      if (error instanceof FlowError) throw error;
      throw new RetriableError(
        `Sending gave an unknown outcome: ${error instanceof Error ? error.message : String(error)}`,
        { code: "UNKNOWN_OUTCOME", cause: error },
      );
    }
    if (result.status === "rejected") {
      throw new DataError(`The remote system rejected the message: ${result.error ?? "no reason given"}`, {
        code: "MESSAGE_REJECTED",
      });
    }
    return {
      outputs: {
        status: result.status,
        messageId,
        senderCorrelationId,
        receiverCorrelationId: result.receiverCorrelationId ?? receiver,
        newCorrelation: given === undefined,
      },
    };
  },
});

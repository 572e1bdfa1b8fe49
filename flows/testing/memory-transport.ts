import type { SendResult, TransportPort, WireMessage } from "../ports/ports";

export interface SentMessage {
  remoteSystem: string;
  message: WireMessage;
  idempotencyKey: string;
}

/** What the receiving side does with a message: e.g. run its inbound flow. */
export type MessageHandler = (remoteSystem: string, message: WireMessage) => Promise<SendResult> | SendResult;

let counter = 0;

/**
 * Records every message, answers `duplicate` for a message id seen before (like the real
 * receiver), and either accepts by default or hands the message to a paired receiver.
 * `failNext` makes the next sends throw (e.g. a RetriableError) to exercise retries.
 */
export class MemoryTransport implements TransportPort {
  readonly sent: SentMessage[] = [];
  readonly delivered: SentMessage[] = [];
  private readonly seen = new Map<string, SendResult>();
  private readonly failures: unknown[] = [];
  handler: MessageHandler | undefined;

  async send(remoteSystem: string, message: WireMessage, idempotencyKey: string): Promise<SendResult> {
    this.sent.push({ remoteSystem, message, idempotencyKey });
    if (this.failures.length > 0) throw this.failures.shift();
    const key = `${remoteSystem}\u0000${message.id}`;
    const before = this.seen.get(key);
    if (before) return { ...before, status: "duplicate" };
    const result = this.handler
      ? await this.handler(remoteSystem, message)
      : {
          status: "accepted" as const,
          receiverCorrelationId:
            message.receiver_correlation_id ?? `remote${(++counter).toString(16).padStart(8, "0")}`,
        };
    if (result.status !== "rejected") {
      this.seen.set(key, result);
      this.delivered.push({ remoteSystem, message, idempotencyKey });
    }
    return result;
  }

  failNext(...errors: unknown[]): void {
    this.failures.push(...errors);
  }

  /** Deliver into another instance's handler (e.g. one that runs its inbound flow). */
  connectTo(handler: MessageHandler): void {
    this.handler = handler;
  }
}

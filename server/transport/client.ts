import { randomUUID } from "node:crypto";
import { Pool } from "undici";
import { DataError, RetriableError } from "../../flows/ports/errors";
import type { SyncConfig } from "../sync/config-store";
import { sign, signatureHeaders, verify } from "./signing";
import {
  batchResponseSchema,
  type MessageResult,
  validateResponseSchema,
  type WireMessage,
} from "./wire-schema";

export interface ClientOptions {
  /** How long a message may wait for others to share its request. */
  lingerMs: number;
  maxBatch: number;
  maxBatchBytes: number;
  timeoutMs: number;
}

interface Pending {
  message: WireMessage;
  /** The message serialized once: its length counts toward the batch limit, and it goes into the body as is. */
  json: string;
  resolve: (r: MessageResult) => void;
  reject: (e: Error) => void;
}

export interface ValidateOutcome {
  ok: boolean;
  check?: "reachable" | "credentials" | "ids" | "signature";
  message: string;
}

/**
 * The sending side of the wire protocol. Messages sent within `lingerMs` of each other to the
 * same remote share one signed request (measured: a 100-message request costs little more than
 * a 1-message one), over a pooled keep-alive undici client (2–5x Node's global fetch here).
 */
export class SyncClient {
  private readonly pools = new Map<string, Pool>();
  private readonly queues = new Map<string, { items: Pending[]; bytes: number; timer?: NodeJS.Timeout }>();

  constructor(
    private readonly config: SyncConfig,
    private readonly options: ClientOptions = {
      lingerMs: 2,
      maxBatch: 100,
      maxBatchBytes: 512 * 1024,
      timeoutMs: 10_000,
    },
  ) {}

  send(remoteId: string, message: WireMessage): Promise<MessageResult> {
    return new Promise((resolve, reject) => {
      const json = JSON.stringify(message);
      const waiting = this.queues.get(remoteId);
      if (waiting && waiting.items.length > 0 && waiting.bytes + json.length > this.options.maxBatchBytes) {
        this.flush(remoteId);
      }
      let queue = this.queues.get(remoteId);
      if (!queue) {
        queue = { items: [], bytes: 0 };
        this.queues.set(remoteId, queue);
      }
      queue.items.push({ message, json, resolve, reject });
      queue.bytes += json.length;
      if (queue.items.length >= this.options.maxBatch) this.flush(remoteId);
      else queue.timer ??= setTimeout(() => this.flush(remoteId), this.options.lingerMs);
    });
  }

  private flush(remoteId: string): void {
    const queue = this.queues.get(remoteId);
    if (!queue || queue.items.length === 0) return;
    if (queue.timer) clearTimeout(queue.timer);
    this.queues.delete(remoteId);
    void this.deliver(remoteId, queue.items);
  }

  private async deliver(remoteId: string, items: Pending[]): Promise<void> {
    try {
      const body = `{"messages":[${items.map((i) => i.json).join(",")}]}`;
      const answer = await this.post(remoteId, "/api/sync/v1/messages", body);
      const parsed = batchResponseSchema.safeParse(answer.json);
      if (!parsed.success) throw new RetriableError("The remote answered with an unreadable body");
      const byId = new Map(parsed.data.results.map((r) => [r.id, r]));
      for (const item of items) {
        const result = byId.get(item.message.id);
        if (result) item.resolve(result);
        else item.reject(new RetriableError(`The remote did not answer for message ${item.message.id}`));
      }
    } catch (error) {
      // A batch too large for the receiver says nothing about its messages: send each alone, so only
      // one that is too large by itself fails (and blocks only its own lane). Found by the fault
      // suite's poison-row trial (seed 1801): one big comment failed three other lanes.
      if (items.length > 1 && error instanceof DataError && error.code === "HTTP_413") {
        for (const item of items) void this.deliver(remoteId, [item]);
        return;
      }
      const err = error instanceof Error ? error : new Error(String(error));
      for (const item of items) item.reject(err);
    }
  }

  /** Signed POST; maps transport failures to Retriable (connection, 5xx, 429) or Data (4xx) errors. */
  private async post(
    remoteId: string,
    path: string,
    body: string,
  ): Promise<{ json: unknown; text: string; headers: Record<string, string> }> {
    const remote = this.config.remote(remoteId);
    const { user, secret, signingSecret } = this.config.credentials(remoteId);
    const pool = this.pool(remote.baseUrl);
    let response: Awaited<ReturnType<Pool["request"]>>;
    try {
      response = await pool.request({
        path,
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: `Basic ${Buffer.from(`${user}:${secret}`).toString("base64")}`,
          ...sign(signingSecret, `msg_${randomUUID()}`, body),
        },
        body,
        headersTimeout: this.options.timeoutMs,
        bodyTimeout: this.options.timeoutMs,
      });
    } catch (error) {
      const reason =
        error instanceof Error ? ((error as { code?: string }).code ?? error.message) : String(error);
      throw new RetriableError(`Cannot reach ${remote.name} at ${remote.baseUrl}: ${reason}`, {
        code: "UNREACHABLE",
      });
    }
    const text = await response.body.text();
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(response.headers)) if (typeof v === "string") headers[k] = v;
    if (response.statusCode === 429 || response.statusCode >= 500) {
      const retryAfter = Number(headers["retry-after"]);
      throw new RetriableError(`${remote.name} answered ${response.statusCode}: ${errorText(text)}`, {
        code: `HTTP_${response.statusCode}`,
        ...(Number.isFinite(retryAfter) ? { retryAfterMs: retryAfter * 1000 } : {}),
      });
    }
    if (response.statusCode < 200 || response.statusCode >= 300) {
      throw new DataError(`${remote.name} refused the request (${response.statusCode}): ${errorText(text)}`, {
        code: `HTTP_${response.statusCode}`,
      });
    }
    try {
      return { json: JSON.parse(text), text, headers };
    } catch {
      throw new RetriableError(`${remote.name} answered with malformed JSON`);
    }
  }

  /** A signed JSON call to the peer (attachment request and completion). */
  async call(remoteId: string, path: string, body: unknown): Promise<unknown> {
    return (await this.post(remoteId, path, JSON.stringify(body))).json;
  }

  /**
   * Streams one attachment to the peer. The signature covers key, hash and size (the body is
   * checked against the hash on arrival), so the bytes need not be read twice.
   */
  async pushAttachment(
    remoteId: string,
    file: {
      key: string;
      hash: string;
      sizeBytes: number;
      fileName: string;
      contentType: string;
      correlationId: string;
    },
    body: NodeJS.ReadableStream,
  ): Promise<void> {
    const remote = this.config.remote(remoteId);
    const { user, secret, signingSecret } = this.config.credentials(remoteId);
    let response: Awaited<ReturnType<Pool["request"]>>;
    try {
      response = await this.pool(remote.baseUrl).request({
        path: `/api/sync/v1/attachments/${encodeURIComponent(file.key)}`,
        method: "PUT",
        headers: {
          "content-type": file.contentType || "application/octet-stream",
          "content-length": String(file.sizeBytes),
          authorization: `Basic ${Buffer.from(`${user}:${secret}`).toString("base64")}`,
          "x-tandem-hash": file.hash,
          "x-tandem-file-name": encodeURIComponent(file.fileName),
          "x-tandem-correlation-id": file.correlationId,
          ...sign(signingSecret, `att_${randomUUID()}`, `${file.key}.${file.hash}.${file.sizeBytes}`),
        },
        body: body as unknown as import("node:stream").Readable,
        headersTimeout: this.options.timeoutMs,
        bodyTimeout: this.options.timeoutMs,
      });
    } catch (error) {
      const reason =
        error instanceof Error ? ((error as { code?: string }).code ?? error.message) : String(error);
      throw new RetriableError(`Cannot reach ${remote.name} at ${remote.baseUrl}: ${reason}`, {
        code: "UNREACHABLE",
      });
    }
    const text = await response.body.text();
    if (response.statusCode === 429 || response.statusCode >= 500) {
      throw new RetriableError(`${remote.name} answered ${response.statusCode}: ${errorText(text)}`);
    }
    if (response.statusCode >= 300) {
      throw new DataError(
        `${remote.name} refused ${file.fileName} (${response.statusCode}): ${errorText(text)}`,
      );
    }
  }

  /** Our half of Validate and Activate: checks 1–4 of SPEC 2, naming the one that failed. */
  async validate(remoteId: string): Promise<ValidateOutcome> {
    const remote = this.config.remote(remoteId);
    if (!remote.externalId)
      return {
        ok: false,
        check: "ids",
        message: "Set the external id (the peer's id for this instance) first",
      };
    const body = JSON.stringify({
      caller_remote_system_id: remote.id,
      expected_remote_system_id: remote.externalId,
    });
    let answer: { json: unknown; text: string; headers: Record<string, string> };
    try {
      answer = await this.post(remoteId, "/api/sync/v1/validate", body);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof RetriableError) return { ok: false, check: "reachable", message };
      if (/\(401\)/.test(message) && /signature/i.test(message))
        return { ok: false, check: "signature", message };
      return { ok: false, check: "credentials", message };
    }
    const headers = signatureHeaders((n) => answer.headers[n] ?? null);
    try {
      if (!headers) throw new Error("the answer is not signed");
      verify(this.config.credentials(remoteId).signingSecret, answer.text, { ...headers });
    } catch (error) {
      return {
        ok: false,
        check: "signature",
        message: `The peer's answer does not verify: ${error instanceof Error ? error.message : error}`,
      };
    }
    const parsed = validateResponseSchema.safeParse(answer.json);
    if (!parsed.success)
      return { ok: false, check: "reachable", message: "The peer answered with an unreadable body" };
    if (!parsed.data.ok) return { ok: false, check: "ids", message: parsed.data.message };
    return { ok: true, message: parsed.data.message };
  }

  private pool(baseUrl: string): Pool {
    const origin = new URL(baseUrl).origin;
    let pool = this.pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, { connections: 8, keepAliveTimeout: 30_000 });
      this.pools.set(origin, pool);
    }
    return pool;
  }

  async close(): Promise<void> {
    for (const id of [...this.queues.keys()]) this.flush(id);
    await Promise.allSettled([...this.pools.values()].map((p) => p.close()));
    this.pools.clear();
  }
}

function errorText(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: string; detail?: string } };
    if (body.error) return [body.error.message, body.error.detail].filter(Boolean).join(": ");
  } catch {
    // not JSON
  }
  return text.slice(0, 300);
}

import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import type { HeaderReader } from "../net/headers";

export type { HeaderReader };

// What the REST handlers read of a request. A web Request is one (Next's route handlers pass
// theirs); the direct routes (server/instance/direct-routes.ts) pass a NodeApiRequest, read
// straight from node:http: building a web Request (Headers, a ReadableStream body, undici's
// Request) cost about a tenth of a Table API create's CPU.

/** A request body read from node:http, chunk by chunk (server/http/body.ts reads it). */
export interface ChunkSource {
  chunks(): AsyncGenerator<Uint8Array>;
}

export interface ApiRequest {
  readonly method: string;
  /** The absolute URL, as a web Request has it. */
  readonly url: string;
  readonly headers: HeaderReader;
  /** null when the request has no body (GET, HEAD). */
  readonly body: ReadableStream<Uint8Array> | ChunkSource | null;
}

/**
 * The headers as a web Request built from this request would have them: req.headers (never
 * req.rawHeaders: the process stamps the TCP peer's address into req.headers over any value a
 * client sent under that name, server/instance/peer-address.ts), with the x-forwarded-* Next
 * fills in when a client sent none.
 */
class NodeHeaders implements HeaderReader {
  constructor(private readonly req: IncomingMessage) {}

  get(name: string): string | null {
    const key = name.toLowerCase();
    const value = this.req.headers[key];
    if (typeof value === "string") return value;
    if (value !== undefined) return value.join(", ");
    const socket = this.req.socket;
    switch (key) {
      case "x-forwarded-host":
        return this.req.headers.host ?? "localhost";
      case "x-forwarded-port":
        return String(socket.localPort ?? "");
      case "x-forwarded-proto":
        return encrypted(this.req) ? "https" : "http";
      case "x-forwarded-for":
        return socket.remoteAddress ?? null;
      default:
        return null;
    }
  }
}

const encrypted = (req: IncomingMessage) => Boolean((req.socket as TLSSocket).encrypted);

/** Up to this much of a body is buffered before the socket pauses, as a node stream would. */
const BUFFER_BYTES = 1 << 20;

/**
 * The body of a node:http request, read only as fast as the handler asks. Giving up on it (a
 * 413 once the limit is passed) only stops reading, never destroys the request: the answer is
 * written first and then ends the connection (server/instance/direct-routes.ts), so a client
 * still sending sees the 413 rather than a broken pipe.
 */
class NodeBody implements ChunkSource {
  constructor(private readonly req: IncomingMessage) {}

  async *chunks(): AsyncGenerator<Uint8Array> {
    const req = this.req;
    const queue: Buffer[] = [];
    let queued = 0;
    let ended = false;
    let failed: { error: unknown } | undefined;
    let wake: (() => void) | undefined;
    const notify = () => {
      const w = wake;
      wake = undefined;
      w?.();
    };
    const onData = (chunk: Buffer) => {
      queue.push(chunk);
      queued += chunk.byteLength;
      if (queued >= BUFFER_BYTES) req.pause();
      notify();
    };
    const onEnd = () => {
      ended = true;
      notify();
    };
    const onError = (error: unknown) => {
      failed = { error };
      notify();
    };
    req.on("data", onData);
    req.once("end", onEnd);
    req.once("error", onError);
    try {
      for (;;) {
        const chunk = queue.shift();
        if (chunk) {
          queued -= chunk.byteLength;
          if (queued < BUFFER_BYTES && req.isPaused()) req.resume();
          yield new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
          continue;
        }
        if (failed) throw failed.error;
        if (ended) return;
        if (req.isPaused()) req.resume();
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    } finally {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      if (!ended) req.pause();
    }
  }
}

/** A node:http request as the REST handlers read it, without building a web Request. */
export class NodeApiRequest implements ApiRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: HeaderReader;
  readonly body: ChunkSource | null;

  constructor(req: IncomingMessage) {
    this.method = req.method ?? "GET";
    const host = req.headers.host ?? "localhost";
    this.url = `${encrypted(req) ? "https" : "http"}://${host}${req.url ?? "/"}`;
    this.headers = new NodeHeaders(req);
    this.body = this.method !== "GET" && this.method !== "HEAD" ? new NodeBody(req) : null;
  }
}

import { Pool } from "undici";

// Sends many requests to one instance with bounded concurrency over a keep-alive pool, and
// times each one from the moment it leaves (no client-side queueing counted).

export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface RawResponse {
  status: number;
  ms: number;
  /** The first 300 characters of the body, for failure messages. */
  snippet: string;
  body: string;
  /** Set when the request failed below HTTP (connection reset, malformed request…). */
  error?: string;
}

export class LoadClient {
  private readonly pool: Pool;

  constructor(
    baseUrl: string,
    private readonly concurrency = 8,
  ) {
    this.pool = new Pool(baseUrl, {
      connections: concurrency,
      pipelining: 1,
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
    });
  }

  async one(request: RawRequest): Promise<RawResponse> {
    const started = performance.now();
    try {
      const res = await this.pool.request({
        method: request.method as "GET",
        path: request.path,
        headers: request.headers ?? {},
        body: request.body ?? null,
      });
      const body = await res.body.text();
      return { status: res.statusCode, ms: performance.now() - started, snippet: body.slice(0, 300), body };
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      return { status: 0, ms: performance.now() - started, snippet: message, body: "", error: message };
    }
  }

  /** Sends all, at most `concurrency` in flight; answers in the order of `requests`. */
  async all<T>(items: readonly T[], build: (item: T) => RawRequest): Promise<RawResponse[]> {
    const out: RawResponse[] = new Array(items.length);
    let next = 0;
    const worker = async () => {
      for (;;) {
        const i = next++;
        if (i >= items.length) return;
        out[i] = await this.one(build(items[i] as T));
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, items.length) }, worker));
    return out;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

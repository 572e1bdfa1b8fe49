import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { NodeApiRequest } from "./api-request";
import { bodyFullyRead, readJsonObject } from "./body";

// The direct routes hand the REST handlers a request read straight from node:http; it must read
// as the web Request built from the same request did.

let server: http.Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** Serves one request with `handle`, sends it, and returns what the handler saw and the client got. */
async function exchange<T>(
  handle: (request: NodeApiRequest, req: http.IncomingMessage) => Promise<T>,
  send: { method: string; headers?: Record<string, string>; body?: string },
): Promise<{ seen: T | Error; status: number; reqDestroyed: boolean }> {
  let seen: T | Error = new Error("not served");
  let reqDestroyed = false;
  server = http.createServer(async (req, res) => {
    try {
      seen = await handle(new NodeApiRequest(req), req);
    } catch (error) {
      seen = error as Error;
    }
    reqDestroyed = req.destroyed;
    res.setHeader("connection", "close");
    res.statusCode = seen instanceof Error ? 413 : 200;
    res.end();
    req.resume();
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const res = await fetch(`http://127.0.0.1:${port}/api/now/table/incident?a=1`, {
    method: send.method,
    headers: send.headers ?? {},
    ...(send.body === undefined ? {} : { body: send.body }),
  });
  await res.arrayBuffer();
  return { seen, status: res.status, reqDestroyed };
}

describe("NodeApiRequest", () => {
  it("has the URL, method and headers a web Request would have, x-forwarded-* filled in", async () => {
    const { seen } = await exchange(
      async (r) => ({
        url: r.url,
        method: r.method,
        auth: r.headers.get("Authorization"),
        missing: r.headers.get("x-none"),
        host: r.headers.get("x-forwarded-host"),
        proto: r.headers.get("x-forwarded-proto"),
        forwardedFor: r.headers.get("x-forwarded-for"),
        hasBody: r.body !== null,
      }),
      { method: "GET", headers: { authorization: "Basic abc" } },
    );
    expect(seen).toMatchObject({
      method: "GET",
      auth: "Basic abc",
      missing: null,
      proto: "http",
      forwardedFor: "127.0.0.1",
      hasBody: false,
    });
    const s = seen as { url: string; host: string };
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/now\/table\/incident\?a=1$/);
    expect(s.host).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  it("keeps a forwarded header the client sent", async () => {
    const { seen } = await exchange(async (r) => r.headers.get("x-forwarded-proto"), {
      method: "GET",
      headers: { "x-forwarded-proto": "https" },
    });
    expect(seen).toBe("https");
  });

  it("reads a JSON body to its end", async () => {
    const { seen } = await exchange(
      async (r) => ({ body: await readJsonObject(r, 1000), read: bodyFullyRead(r) }),
      { method: "POST", headers: { "content-type": "application/json" }, body: '{"a":"b"}' },
    );
    expect(seen).toEqual({ body: { a: "b" }, read: true });
  });

  it("gives up on a body over the limit without destroying the request, so the 413 can be written", async () => {
    let fullyRead = true;
    const { seen, status, reqDestroyed } = await exchange(
      async (r) => {
        try {
          return await readJsonObject(r, 1000);
        } finally {
          fullyRead = bodyFullyRead(r);
        }
      },
      { method: "POST", headers: { "content-type": "application/json" }, body: `"${"x".repeat(200_000)}"` },
    );
    expect((seen as Error).message).toMatch(/too large/);
    expect(fullyRead).toBe(false);
    expect(reqDestroyed).toBe(false);
    expect(status).toBe(413);
  });
});

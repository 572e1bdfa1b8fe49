import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Rng } from "./prng";

// A fault-injecting HTTP proxy on loopback, between a sender and its remote. Per request it draws
// one fault from the current mix (seeded, so a failing seed replays the same sequence of faults):
//
//   pass            forwards the request and the answer unchanged
//   delay           waits 1–3 s, then passes
//   reset-request   forwards half the request body, then resets both sides (nothing committed)
//   reset-answer    forwards the whole request, lets the receiver answer, then resets the sender's
//                   connection without a byte of the answer (the receiver committed; the sender
//                   did not hear)
//   half-answer     forwards the request, sends the answer's head and half its body, then resets
//   hang            forwards the request and never answers (the sender's timeout decides)

export const faultKinds = ["pass", "delay", "reset-request", "reset-answer", "half-answer", "hang"] as const;
export type FaultKind = (typeof faultKinds)[number];
export type FaultMix = Partial<Record<FaultKind, number>>;

export interface FaultProxy {
  url: string;
  port: number;
  /** Faults drawn per request from now on; `{ pass: 1 }` is a clean link. */
  setMix(mix: FaultMix): void;
  /** How many requests met each fault so far. */
  counts(): Record<FaultKind, number>;
  close(): Promise<void>;
}

export async function startProxy(options: {
  target: () => string;
  rng: Rng;
  mix?: FaultMix;
  port?: number;
}): Promise<FaultProxy> {
  let mix: FaultMix = options.mix ?? { pass: 1 };
  const counts = Object.fromEntries(faultKinds.map((k) => [k, 0])) as Record<FaultKind, number>;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const hanging = new Set<http.ServerResponse>();

  const server = http.createServer(async (req, res) => {
    const body = await readAll(req).catch(() => null);
    if (body === null) return;
    const weights = Object.fromEntries(Object.entries(mix).filter(([, w]) => (w ?? 0) > 0)) as Record<
      FaultKind,
      number
    >;
    const fault: FaultKind = Object.keys(weights).length ? options.rng.weighted(weights) : "pass";
    counts[fault] += 1;
    if (fault === "delay") await sleep(options.rng.int(1000, 3000));
    const target = new URL(req.url ?? "/", options.target());
    const { "transfer-encoding": _chunked, ...rest } = req.headers;
    const headers = { ...rest, host: target.host, "content-length": String(body.length) };
    const upstream = http.request(target, { method: req.method, headers, agent });
    upstream.on("error", () => reset(res));
    if (fault === "reset-request") {
      // Half the body, then both connections die: the receiver cannot have accepted it.
      upstream.write(body.subarray(0, Math.floor(body.length / 2)));
      setTimeout(() => {
        upstream.destroy();
        reset(res);
      }, 5);
      return;
    }
    upstream.end(body);
    upstream.on("response", async (answer) => {
      const answerBody = await readAll(answer).catch(() => null);
      if (answerBody === null) return reset(res);
      if (fault === "reset-answer") return reset(res);
      if (fault === "hang") {
        hanging.add(res);
        res.on("close", () => hanging.delete(res));
        return;
      }
      // The answer is re-sent whole (or half) with its length, so a cut-off body is detectable.
      const { "transfer-encoding": _chunked, ...rest } = answer.headers;
      const outHeaders = { ...rest, "content-length": String(answerBody.length) };
      res.writeHead(answer.statusCode ?? 502, outHeaders);
      if (fault === "half-answer") {
        res.write(answerBody.subarray(0, Math.floor(answerBody.length / 2)), () =>
          setTimeout(() => reset(res), 5),
        );
        return;
      }
      res.end(answerBody);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    setMix(next) {
      mix = next;
    },
    counts: () => ({ ...counts }),
    async close() {
      for (const res of hanging) reset(res);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}

function reset(res: http.ServerResponse): void {
  const socket = res.socket;
  if (socket && !socket.destroyed) socket.resetAndDestroy();
}

function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", () => resolve(Buffer.concat(chunks)));
    stream.on("error", reject);
    stream.on("aborted", () => reject(new Error("aborted")));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

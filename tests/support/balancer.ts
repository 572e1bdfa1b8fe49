import http from "node:http";
import type { AddressInfo } from "node:net";

// A round-robin HTTP load balancer on loopback, in front of the processes of one instance (issue
// 13), as an operator would put any balancer there. A process that refuses the connection (killed,
// restarting) is skipped for the next one; once a request reached a process, its answer, or its
// failure, is the client's (a request is never sent twice: the sender's retry decides).

export interface Balancer {
  url: string;
  port: number;
  /** Requests forwarded per target port. */
  counts(): Map<number, number>;
  close(): Promise<void>;
}

export async function startBalancer(targets: () => number[]): Promise<Balancer> {
  // A connection per request: "refused" is then certain to mean nothing reached the process.
  const agent = new http.Agent({ keepAlive: false, maxSockets: 64 });
  const counts = new Map<number, number>();
  let next = 0;

  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of req) chunks.push(chunk as Buffer);
    } catch {
      return;
    }
    const body = Buffer.concat(chunks);
    const ports = targets();
    for (let tried = 0; tried < ports.length; tried++) {
      const port = ports[next++ % ports.length] as number;
      const outcome = await forward(port, req, body, res, agent);
      if (outcome === "refused") continue;
      counts.set(port, (counts.get(port) ?? 0) + 1);
      return;
    }
    res.writeHead(503, { "content-type": "text/plain" }).end("no process of the instance is up");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    counts: () => new Map(counts),
    async close() {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Forwards one request; "refused" when the process was not there (nothing reached it). */
function forward(
  port: number,
  req: http.IncomingMessage,
  body: Buffer,
  res: http.ServerResponse,
  agent: http.Agent,
): Promise<"done" | "refused"> {
  return new Promise((resolve) => {
    const { "transfer-encoding": _chunked, ...headers } = req.headers;
    const upstream = http.request(
      {
        host: "127.0.0.1",
        port,
        path: req.url,
        method: req.method,
        headers: { ...headers, "content-length": String(body.length) },
        agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on("end", () => resolve("done"));
        answer.on("error", () => {
          res.destroy();
          resolve("done");
        });
      },
    );
    let sent = false;
    upstream.on("socket", (socket) => socket.on("connect", () => (sent = true)));
    upstream.on("error", (error: NodeJS.ErrnoException) => {
      if (!sent && error.code === "ECONNREFUSED") return resolve("refused");
      res.destroy(); // the process died with the request: the client sees a broken connection
      resolve("done");
    });
    upstream.end(body);
  });
}

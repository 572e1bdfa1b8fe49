import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, hardwareGroup, type Pair, query, remoteState, startPair, trpc, waitFor } from "../support/pair";

// Beta's answers are cut off after their head (issue 11, defect 1):
//   alpha ──▶ proxy ──▶ beta         the proxy forwards each batch whole, beta commits it, then the
//                                     proxy sends the head and half the body of the first 5 answers
//                                     and destroys the socket ("other side closed")
// Expected: alpha treats each cut as an unknown outcome and resends; beta dedups by message id:
// every record arrives once, no outbound row ends in error.
function cuttingProxy(target: string, cuts: number) {
  let left = cuts;
  const stats = { cut: 0, passed: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const headers = { ...req.headers, host: new URL(target).host };
      const up = http.request(`${target}${req.url}`, { method: req.method, headers }, (upRes) => {
        const out: Buffer[] = [];
        upRes.on("data", (c: Buffer) => out.push(c));
        upRes.on("end", () => {
          const body = Buffer.concat(out);
          const head = { ...upRes.headers, "content-length": String(body.length) };
          delete head["transfer-encoding"];
          delete head.connection;
          if (req.url === "/api/sync/v1/messages" && left > 0) {
            left -= 1;
            stats.cut += 1;
            res.writeHead(upRes.statusCode ?? 502, head);
            res.write(body.subarray(0, body.length >> 1));
            setTimeout(() => res.socket?.destroy(), 5);
            return;
          }
          stats.passed += 1;
          res.writeHead(upRes.statusCode ?? 502, head).end(body);
        });
      });
      up.on("error", () => res.socket?.destroy());
      up.end(Buffer.concat(chunks));
    });
  });
  return { server, stats };
}

describe("answers cut off after their head", () => {
  let pair: Pair;
  const proxy = { server: undefined as http.Server | undefined, stats: { cut: 0, passed: 0 } };
  beforeAll(async () => {
    pair = await startPair();
  });
  afterAll(async () => {
    await pair?.stop();
    await new Promise<void>((r) => (proxy.server ? proxy.server.close(() => r()) : r()));
  });

  it("are retried as unknown outcomes: everything arrives once, nothing ends as a data error", async () => {
    // ARRANGE: alpha reaches beta through the cutting proxy, with quick retries
    const p = cuttingProxy(pair.beta.inst.url, 5);
    proxy.server = p.server;
    proxy.stats = p.stats;
    await new Promise<void>((r) => p.server.listen(0, "127.0.0.1", r));
    const proxyUrl = `http://127.0.0.1:${(p.server.address() as AddressInfo).port}`;
    const remote = remoteState(pair.alpha);
    await trpc(pair.alpha, "syncConfig.updateRemote", {
      id: remote.id,
      data: { baseUrl: proxyUrl, retryTimes: 20, retryIntervalMs: 100, retryBackoff: "fixed" },
    });
    // A new connection needs Validate and Activate again (it goes through the proxy, uncut).
    expect(
      (await trpc<{ ok: boolean }>(pair.alpha, "syncConfig.validateAndActivate", { id: remote.id })).ok,
    ).toBe(true);
    const group = await hardwareGroup(pair.alpha);

    // ACT: 40 incidents
    for (let i = 0; i < 40; i++) {
      await api(pair.alpha, "POST", "/api/now/table/incident", {
        short_description: `Cut ${i}`,
        assignment_group: group,
      });
    }

    // ASSERT
    const done = () =>
      query<{ n: number }>(
        pair.alpha,
        "SELECT count(*) AS n FROM outbound_queue WHERE status = 'processed'",
      )[0]?.n === 40;
    await waitFor(
      () => done() || query(pair.alpha, "SELECT 1 FROM outbound_queue WHERE status = 'error'").length > 0,
      45_000,
      "alpha's 40 rows to finish",
    ).catch((e) => {
      console.log(
        p.stats,
        query(
          pair.alpha,
          "SELECT status, error_kind, attempts, last_error FROM outbound_queue WHERE status != 'processed' LIMIT 5",
        ),
        query(pair.alpha, "SELECT status, count(*) AS n FROM outbound_queue GROUP BY 1"),
      );
      throw e;
    });
    const errors = query<{ id: number; error_kind: string; last_error: string }>(
      pair.alpha,
      "SELECT id, error_kind, last_error FROM outbound_queue WHERE status = 'error'",
    );
    expect(errors).toEqual([]);
    expect(done()).toBe(true);
    expect(p.stats.cut).toBe(5);
    await waitFor(
      () =>
        query<{ n: number }>(
          pair.beta,
          "SELECT count(*) AS n FROM inbound_queue WHERE status = 'processed'",
        )[0]?.n === 40,
      30_000,
      "beta to process 40 messages",
    );
    const onBeta = query<{ d: string; n: number }>(
      pair.beta,
      `SELECT json_extract(data, '$.short_description') AS d, count(*) AS n FROM record
       WHERE table_name = 'incident' AND json_extract(data, '$.short_description') LIKE 'Cut %' GROUP BY d`,
    );
    expect(onBeta).toHaveLength(40);
    expect(onBeta.every((r) => r.n === 1)).toBe(true);
    const inbound = query<{ n: number; ids: number }>(
      pair.beta,
      "SELECT count(*) AS n, count(DISTINCT message_id) AS ids FROM inbound_queue",
    )[0];
    expect(inbound?.n).toBe(inbound?.ids);
  }, 120_000);
});

import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  admin,
  api,
  hardwareGroup,
  type Pair,
  query,
  remoteState,
  startPair,
  trpc,
  waitFor,
} from "../support/pair";

// The receiver is frozen (SIGSTOP) while an inbound flow waits (issue 11, defect 2):
//   alpha: 20 incidents, each then given an attachment ──▶ beta (40 messages); beta's flow limit
//          is 5 s (TANDEM_FLOW_TIMEOUT_MS)
//   beta ──▶ proxy ──▶ alpha   the proxy holds each Request Attachments answer for 1 s; the first
//          time one arrives, a flow on beta is known to be waiting on it: beta gets SIGSTOP then,
//          and SIGCONT 8 s later (longer than the limit)
// Expected: the frozen time is not charged to that flow, and anything that still fails
// transiently is retried: every row ends `processed` once, none in `error`.
const RECORDS = 20;
const BURST = 2 * RECORDS; // a create and an attachment update per record
const LIMIT_MS = 5000;
const FROZEN_MS = 8000;

function holdingProxy(target: string, onHeld: () => void) {
  return http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const held = req.url === "/api/sync/v1/attachments/request";
      if (held) onHeld();
      const up = http.request(
        `${target}${req.url}`,
        { method: req.method, headers: { ...req.headers, host: new URL(target).host } },
        (upRes) => {
          const out: Buffer[] = [];
          upRes.on("data", (c: Buffer) => out.push(c));
          upRes.on("end", () => {
            const body = Buffer.concat(out);
            const head = { ...upRes.headers, "content-length": String(body.length) };
            delete head["transfer-encoding"];
            delete head.connection;
            setTimeout(() => res.writeHead(upRes.statusCode ?? 502, head).end(body), held ? 1000 : 0);
          });
        },
      );
      up.on("error", () => res.socket?.destroy());
      up.end(Buffer.concat(chunks));
    });
  });
}

describe("a receiver paused with SIGSTOP", () => {
  let pair: Pair;
  let proxy: http.Server | undefined;
  beforeAll(async () => {
    pair = await startPair({}, { beta: { TANDEM_FLOW_TIMEOUT_MS: String(LIMIT_MS) } });
  });
  afterAll(async () => {
    if (pair?.beta.inst.process.pid) {
      try {
        process.kill(pair.beta.inst.process.pid, "SIGCONT");
      } catch {
        // already gone
      }
    }
    await pair?.stop();
    await new Promise<void>((r) => (proxy ? proxy.close(() => r()) : r()));
  });

  it("finishes every accepted inbound row once after SIGCONT, none in error", async () => {
    // ARRANGE: beta reaches alpha through the holding proxy
    const pid = pair.beta.inst.process.pid as number;
    let frozen: Promise<void> | undefined;
    const freeze = () => {
      if (frozen) return;
      process.kill(pid, "SIGSTOP");
      frozen = new Promise<void>((r) =>
        setTimeout(() => {
          process.kill(pid, "SIGCONT");
          r();
        }, FROZEN_MS),
      );
    };
    proxy = holdingProxy(pair.alpha.inst.url, freeze);
    const server = proxy;
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const remote = remoteState(pair.beta);
    await trpc(pair.beta, "syncConfig.updateRemote", {
      id: remote.id,
      data: { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` },
    });
    expect(
      (await trpc<{ ok: boolean }>(pair.beta, "syncConfig.validateAndActivate", { id: remote.id })).ok,
    ).toBe(true);
    const group = await hardwareGroup(pair.alpha);

    // ACT: the burst; the first attachment request freezes beta for FROZEN_MS
    for (let i = 0; i < RECORDS; i++) {
      const created = await api(pair.alpha, "POST", "/api/now/table/incident", {
        short_description: `Paused ${i}`,
        assignment_group: group,
      });
      const res = await fetch(
        `${pair.alpha.inst.url}/api/now/attachment/file?table_name=incident&table_sys_id=${created.body.result.sys_id}&file_name=note-${i}.txt`,
        {
          method: "POST",
          headers: { authorization: admin, "content-type": "text/plain" },
          body: `note ${i}`,
        },
      );
      expect(res.status).toBe(201);
    }
    await waitFor(() => frozen !== undefined, 30_000, "a flow on beta to wait on an attachment request");
    await frozen;

    // ASSERT
    const settled = () =>
      query<{ n: number }>(
        pair.beta,
        "SELECT count(*) AS n FROM inbound_queue WHERE status IN ('processed', 'error', 'skipped')",
      )[0]?.n === BURST;
    await waitFor(settled, 90_000, `beta to finish ${BURST} inbound rows`);
    const errors = query<{ sequence: number; last_error: string }>(
      pair.beta,
      "SELECT sequence, last_error FROM inbound_queue WHERE status = 'error'",
    );
    expect(errors).toEqual([]);
    const rows = query<{ n: number; ids: number }>(
      pair.beta,
      "SELECT count(*) AS n, count(DISTINCT message_id) AS ids FROM inbound_queue WHERE status = 'processed'",
    )[0];
    expect(rows).toEqual({ n: BURST, ids: BURST });
    const onBeta = query<{ n: number }>(
      pair.beta,
      `SELECT count(*) AS n FROM record WHERE table_name = 'incident'
       AND json_extract(data, '$.short_description') LIKE 'Paused %'`,
    )[0];
    expect(onBeta?.n).toBe(RECORDS);
    await waitFor(
      () =>
        query<{ n: number }>(
          pair.beta,
          "SELECT count(*) AS n FROM attachment WHERE file_name LIKE 'note-%'",
        )[0]?.n === RECORDS,
      60_000,
      "every attachment on beta",
    );
    const why = query<{ e: string; n: number }>(
      pair.beta,
      `SELECT json_extract(h.value, '$.error') AS e, count(*) AS n FROM inbound_queue q, json_each(q.retry_history) h
       WHERE json_extract(h.value, '$.outcome') = 'retry' GROUP BY 1`,
    );
    console.log(`beta was frozen for ${FROZEN_MS} ms; inbound retries:`, why);
  }, 180_000);
});

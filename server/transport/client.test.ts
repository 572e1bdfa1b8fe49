import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SyncConfig } from "../sync/config-store";
import { SecretBox } from "../sync/secrets";
import { memoryInstance } from "../testing/memory-instance";
import { SyncClient } from "./client";
import type { WireMessage } from "./wire-schema";

// Batching of the sending side against a bare peer that records each request it gets.
describe("SyncClient batching", () => {
  const requests: Array<{ ids: string[] }> = [];
  let server: http.Server;
  let url = "";
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => {
        body += c;
      });
      req.on("end", () => {
        const ids = (JSON.parse(body) as { messages: WireMessage[] }).messages.map((m) => m.id);
        requests.push({ ids });
        const results = ids.map((id) => ({
          id,
          status: "accepted",
          sequence: 1,
          receiver_correlation_id: `r-${id}`,
        }));
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ results }));
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const message = (id: string, size = 10): WireMessage => ({
    id,
    process_event: "e",
    operation: "update",
    sender_correlation_id: "s",
    receiver_correlation_id: null,
    lane_sequence: 1,
    payload: { text: "x".repeat(size) },
  });

  it("shares requests up to the count and byte limits, and answers each message with its own result", async () => {
    const { db } = memoryInstance();
    const config = new SyncConfig(db, SecretBox.forTests());
    const remote = config.createRemote({
      name: "peer",
      baseUrl: url,
      outboundUser: "u",
      outboundSecret: "p",
      signingSecret: "whsec_c2VjcmV0",
    });
    const client = new SyncClient(config, null, {
      lingerMs: 5,
      maxBatch: 3,
      maxBatchBytes: 2_000,
      timeoutMs: 5_000,
    });
    requests.length = 0;

    const small = await Promise.all(["a", "b", "c", "d"].map((id) => client.send(remote.id, message(id))));
    expect(small.map((r) => r.receiver_correlation_id)).toEqual(["r-a", "r-b", "r-c", "r-d"]);
    expect(requests.map((r) => r.ids)).toEqual([["a", "b", "c"], ["d"]]);

    requests.length = 0;
    await Promise.all(["x", "y"].map((id) => client.send(remote.id, message(id, 1_500))));
    expect(requests.map((r) => r.ids)).toEqual([["x"], ["y"]]); // two would pass the byte limit
    await client.close();
  });
});

import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WireMessage } from "../protocol/wire-schema";
import { SyncConfig } from "../sync/config-store";
import { SecretBox } from "../sync/secrets";
import { memoryInstance } from "../testing/memory-instance";
import { SyncClient } from "./client";

// Batching of the sending side against a bare peer that records each request it gets.
describe("SyncClient batching", () => {
  // A bare peer that records the ids of each request; it holds its answer while `hold(ids)` is pending.
  async function recordingPeer(hold: (ids: string[]) => Promise<void> = async () => undefined) {
    const seen: string[][] = [];
    const server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => {
        body += c;
      });
      req.on("end", async () => {
        const ids = (JSON.parse(body) as { messages: WireMessage[] }).messages.map((m) => m.id);
        seen.push(ids);
        await hold(ids);
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
    return {
      seen,
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      close: () => new Promise<void>((r) => server.close(() => r())),
    };
  }
  let peer: Awaited<ReturnType<typeof recordingPeer>>;
  beforeAll(async () => {
    peer = await recordingPeer();
  });
  afterAll(() => peer.close());

  const remoteAt = async (name: string, baseUrl: string) => {
    const { storage } = memoryInstance();
    const config = new SyncConfig(storage, SecretBox.forTests());
    const remote = await config.createRemote({
      name,
      baseUrl,
      outboundUser: "u",
      outboundSecret: "p",
      signingSecret: "whsec_c2VjcmV0",
    });
    return { config, remote };
  };

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
    const { config, remote } = await remoteAt("peer", peer.url);
    const requests = peer.seen;
    const client = new SyncClient(config, null, {
      lingerMs: 5,
      maxBatch: 3,
      maxBatchBytes: 2_000,
      timeoutMs: 5_000,
    });
    requests.length = 0;

    const small = await Promise.all(["a", "b", "c", "d"].map((id) => client.send(remote.id, message(id))));
    expect(small.map((r) => r.receiver_correlation_id)).toEqual(["r-a", "r-b", "r-c", "r-d"]);
    expect(requests).toEqual([["a", "b", "c"], ["d"]]);

    requests.length = 0;
    await Promise.all(["x", "y"].map((id) => client.send(remote.id, message(id, 1_500))));
    expect(requests).toEqual([["x"], ["y"]]); // two would pass the byte limit
    await client.close();
  });

  it("sends at once while the pipe has room, and gathers what comes while it is full into one request", async () => {
    // The peer holds its answer to "a" until the test lets it go: the pipe (one request) stays full.
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => {
      release = r;
    });
    const slow = await recordingPeer((ids) => (ids.includes("a") ? held : Promise.resolve()));
    const seen = slow.seen;
    const { config, remote } = await remoteAt("slow-peer", slow.url);
    const client = new SyncClient(config, null, {
      lingerMs: 0,
      maxInFlight: 1,
      maxBatch: 100,
      maxBatchBytes: 100_000,
      timeoutMs: 5_000,
    });
    const a = client.send(remote.id, message("a"));
    while (seen.length === 0) await new Promise((r) => setTimeout(r, 5)); // "a" left on its own
    const b = client.send(remote.id, message("b"));
    await new Promise((r) => setTimeout(r, 30)); // far past any linger: "b" must still be waiting
    const c = client.send(remote.id, message("c"));
    expect(seen).toEqual([["a"]]);
    release();
    const answers = await Promise.all([a, b, c]);
    expect(answers.map((r) => r.receiver_correlation_id)).toEqual(["r-a", "r-b", "r-c"]);
    expect(seen).toEqual([["a"], ["b", "c"]]);
    await client.close();
    await slow.close();
  });
});

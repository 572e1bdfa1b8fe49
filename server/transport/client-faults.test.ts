import http from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DataError, RetriableError } from "../../flows/ports/errors";
import type { WireMessage } from "../protocol/wire-schema";
import { SyncConfig } from "../sync/config-store";
import { SecretBox } from "../sync/secrets";
import { memoryInstance } from "../testing/memory-instance";
import { SyncClient } from "./client";

// How the sending side classifies an answer that goes wrong, against a bare loopback peer whose
// behaviour each test picks:
//   cut       head written (200, long Content-Length), half a body, then the socket destroyed
//   refuse    a well-formed refusal: 400 with our `{ error: { message, detail } }` body
//   garbled   a 400 whose body is not ours (a proxy's page): no proof the receiver refused it
//   busy      503 with Retry-After
// Only `refuse` may be a data error: everything else happened after the request may have been
// delivered and before a complete answer, so the outcome is unknown and the row is retried
// (the receiver dedups by message id).
type Mode = "cut" | "refuse" | "garbled" | "busy";

describe("SyncClient under a faulty answer", () => {
  let mode: Mode = "cut";
  let server: http.Server;
  let url = "";
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        if (mode === "cut") {
          res.writeHead(200, { "content-type": "application/json", "content-length": "1000" });
          res.write('{"results":[{"id":');
          setTimeout(() => res.socket?.destroy(), 20);
        } else if (mode === "refuse") {
          res
            .writeHead(400, { "content-type": "application/json" })
            .end(
              JSON.stringify({ error: { message: "Invalid message batch", detail: "x" }, status: "failure" }),
            );
        } else if (mode === "garbled") {
          res.writeHead(400, { "content-type": "text/html" }).end("<html>Bad Request</html>");
        } else {
          res
            .writeHead(503, { "content-type": "application/json", "retry-after": "3" })
            .end(JSON.stringify({ error: { message: "Storage full", detail: "" }, status: "failure" }));
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const message: WireMessage = {
    id: "m1",
    process_event: "e",
    operation: "update",
    sender_correlation_id: "s",
    receiver_correlation_id: null,
    lane_sequence: 1,
    payload: {},
  };

  async function setup() {
    const { storage } = memoryInstance();
    const config = new SyncConfig(storage, SecretBox.forTests());
    const remote = await config.createRemote({
      name: "peer",
      baseUrl: url,
      outboundUser: "u",
      outboundSecret: "p",
      signingSecret: "whsec_c2VjcmV0",
    });
    await config.updateRemote(remote.id, { externalId: "peer-id" });
    const client = new SyncClient(config, null, {
      lingerMs: 1,
      maxBatch: 10,
      maxBatchBytes: 100_000,
      timeoutMs: 5_000,
    });
    return { client, remoteId: remote.id };
  }

  const file = {
    key: "k",
    hash: "h",
    sizeBytes: 3,
    fileName: "a.txt",
    contentType: "text/plain",
    correlationId: "c",
  };

  it("a reset while the answer is read is retriable on every path", async () => {
    mode = "cut";
    const { client, remoteId } = await setup();
    await expect(client.send(remoteId, message)).rejects.toBeInstanceOf(RetriableError);
    await expect(client.call(remoteId, "/api/sync/v1/attachments/request", {})).rejects.toBeInstanceOf(
      RetriableError,
    );
    await expect(
      client.pushAttachment(remoteId, file, Readable.from([Buffer.from("abc")])),
    ).rejects.toBeInstanceOf(RetriableError);
    expect((await client.validate(remoteId)).check).toBe("reachable");
    await client.close();
  });

  it("only a well-formed refusal is a data error; a foreign 4xx page and a 503 are retriable", async () => {
    const { client, remoteId } = await setup();
    mode = "refuse";
    await expect(client.send(remoteId, message)).rejects.toBeInstanceOf(DataError);
    await expect(
      client.pushAttachment(remoteId, file, Readable.from([Buffer.from("abc")])),
    ).rejects.toBeInstanceOf(DataError);
    mode = "garbled";
    await expect(client.send(remoteId, message)).rejects.toBeInstanceOf(RetriableError);
    mode = "busy";
    const busy = await client.send(remoteId, message).catch((e: unknown) => e);
    expect(busy).toBeInstanceOf(RetriableError);
    expect((busy as RetriableError).retryAfterMs).toBe(3000);
    expect((busy as RetriableError).message).toMatch(/Storage full/);
    await client.close();
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { resetStorageNotes, storageProblem, storageProblems } from "../db/storage";
import { errorResponse } from "../http/responses";
import { createLogger } from "../log/logger";
import { SyncConfig } from "../sync/config-store";
import { SecretBox } from "../sync/secrets";
import { memoryInstance } from "../testing/memory-instance";
import { InboundAcceptor } from "./inbound/accept";
import { InboundStore } from "./inbound/store";
import { InboundWorker } from "./inbound/worker";

// A real SQLITE_FULL, from an in-memory database capped with `PRAGMA max_page_count`:
//   3 rows accepted → database capped → each row's flow finishes, but writing its outcome
//   (a 20 KB warning needs new pages) fails → the worker keeps the outcomes, does not crash or
//   rerun the flows → cap lifted → the outcomes land, each row processed once.
async function until(what: string, cond: () => boolean): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("storage full under the queue workers", () => {
  afterEach(() => resetStorageNotes());

  it("classifies what SQLite and the file system throw, and answers 503 naming the cause", () => {
    const { db } = memoryInstance();
    const pages = db.$client.pragma("page_count", { simple: true }) as number;
    db.$client.pragma(`max_page_count = ${pages}`);
    let thrown: unknown;
    try {
      db.$client.prepare("CREATE TABLE filler (x TEXT)").run();
      db.$client.prepare("INSERT INTO filler VALUES (?)").run("x".repeat(100_000));
    } catch (error) {
      thrown = error;
    }
    expect((thrown as { code?: string }).code).toBe("SQLITE_FULL");
    expect(storageProblem(thrown)).toBe("full");
    expect(storageProblem(Object.assign(new Error("no space"), { code: "ENOSPC" }))).toBe("full");
    expect(storageProblem(Object.assign(new Error("locked"), { code: "SQLITE_BUSY_SNAPSHOT" }))).toBe("busy");
    expect(storageProblem(new Error("a bug"))).toBeNull();

    const response = errorResponse(thrown, () => undefined);
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("10");
    expect(storageProblems(undefined)).toEqual(["storage full"]);
  });

  it("an accept that cannot be stored fails alone and leaves no transaction open", async () => {
    const { db, storage } = memoryInstance();
    const acceptor = new InboundAcceptor(storage);
    const big = (id: string) => ({
      id,
      process_event: "e",
      operation: "update" as const,
      sender_correlation_id: id,
      receiver_correlation_id: null,
      lane_sequence: 1,
      payload: { text: "x".repeat(200_000) },
    });
    db.$client.pragma(`max_page_count = ${db.$client.pragma("page_count", { simple: true })}`);
    await expect(acceptor.accept("r", [big("m1")], "global")).rejects.toMatchObject({ code: "SQLITE_FULL" });
    expect(db.$client.inTransaction).toBe(false);
    db.$client.pragma("max_page_count = 1073741823");
    expect((await acceptor.accept("r", [big("m1")], "global")).map((r) => r.status)).toEqual(["accepted"]);
    expect(db.$client.inTransaction).toBe(false);
  });

  it("keeps outcomes it cannot write, never reruns the flows, and writes them once space is back", async () => {
    // ARRANGE
    const { db, storage } = memoryInstance();
    const config = new SyncConfig(storage, SecretBox.forTests());
    const remote = await config.createRemote({ name: "alpha", baseUrl: "http://localhost:1" });
    await config.setRemoteState(remote.id, { outbound: "active", inbound: "active", message: "" });
    const store = new InboundStore(storage);
    let runs = 0;
    const worker = new InboundWorker({
      store,
      config,
      logger: createLogger("test", "silent"),
      run: async () => {
        runs += 1;
        return { kind: "processed", executionId: null, warning: "w".repeat(20_000) };
      },
      idleMs: 20,
    });
    const acceptor = new InboundAcceptor(storage);
    for (let i = 1; i <= 3; i++)
      await acceptor.accept(
        remote.id,
        [
          {
            id: `m${i}`,
            process_event: "e",
            operation: "update",
            sender_correlation_id: `lane${i}`,
            receiver_correlation_id: null,
            lane_sequence: 1,
            payload: {},
          },
        ],
        "global",
      );
    const statuses = () =>
      (
        db.$client.prepare("SELECT status FROM inbound_queue ORDER BY sequence").all() as Array<{
          status: string;
        }>
      ).map((r) => r.status);
    db.$client.pragma(`max_page_count = ${db.$client.pragma("page_count", { simple: true })}`);

    // ACT: the flows run; their outcomes cannot be written
    worker.start();
    await until("three runs", () => runs === 3);
    await new Promise((r) => setTimeout(r, 300)); // several write retries and claim ticks
    // ASSERT: nothing written, nothing rerun, the failure noted for /api/health
    expect(statuses()).toEqual(["processing", "processing", "processing"]);
    expect(runs).toBe(3);
    expect(storageProblems(undefined)).toEqual(["storage full"]);

    // ACT: space comes back
    db.$client.pragma("max_page_count = 1073741823");
    await until("the outcomes to land", () => statuses().every((s) => s === "processed"));
    // ASSERT
    expect(runs).toBe(3);
    await worker.stop();
  });
});

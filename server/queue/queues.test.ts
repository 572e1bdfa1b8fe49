import { describe, expect, it } from "vitest";
import { freshSqliteStorage } from "../testing/storage-fixtures";
import { InboundAcceptor } from "./inbound/accept";
import { OutboundEnqueuer } from "./outbound/enqueue";
import { input, message, queuesContract } from "./queues.contract";

describe("the queues' state machines on SQLite", () => {
  queuesContract(freshSqliteStorage);
});

// On SQLite a commit is synchronous, so its wake-up can reach the workers before the event loop
// turns: the extra turn was 0.2-0.9 ms of a single change's way to the peer at idle (bench/sync.ts).
describe("queue wake-ups on SQLite", () => {
  /** What `channel` was signalled by the time an immediate queued before `act` runs. */
  async function signalledBeforeNextTurn(
    storage: Awaited<ReturnType<typeof freshSqliteStorage>>,
    channel: "outbound" | "inbound",
    act: () => Promise<unknown>,
  ): Promise<number> {
    let count = 0;
    storage.signals.listen(channel, () => {
      count += 1;
    });
    let seen = -1;
    const nextTurn = new Promise<void>((resolve) =>
      setImmediate(() => {
        seen = count;
        resolve();
      }),
    );
    await act();
    await nextTurn;
    return seen;
  }

  it("an enqueue's commit signals the outbound workers once, before the event loop turns", async () => {
    const storage = await freshSqliteStorage();
    const enqueuer = new OutboundEnqueuer(storage);
    const seen = await signalledBeforeNextTurn(storage, "outbound", () =>
      storage.transaction(function* () {
        yield* enqueuer.enqueuePlan(input("A"));
        yield* enqueuer.enqueuePlan(input("B"));
      }),
    );
    expect(seen).toBe(1);
  });

  it("an accepted batch signals the inbound workers before the event loop turns", async () => {
    const storage = await freshSqliteStorage();
    const acceptor = new InboundAcceptor(storage);
    const seen = await signalledBeforeNextTurn(storage, "inbound", () =>
      acceptor.accept("remote-1", [message("m1", "L", 1), message("m2", "L", 2)], "global"),
    );
    expect(seen).toBe(1);
  });
});

import { expect, it } from "vitest";
import { NodeStatsQuery } from "../stats/node-stats-query";
import { HOUR } from "../stats/node-stats-writer";
import { all, type Storage, sql } from "../storage";
import { ExecutionWriter } from "./execution-writer";

// The execution writer on every dialect (issue 13): SQLite in execution-writer.test.ts, a real
// PostgreSQL in tests/integration/storage-seam.test.ts.

const now = Date.UTC(2026, 11, 3, 12, 30, 20);

export function executionWriterContract(fresh: () => Promise<Storage>): void {
  it("the execution writer commits runs with their figures, and hands a replay the journal while and after it writes", async () => {
    const storage = await fresh();
    const writer = new ExecutionWriter(storage, () => now);
    const steps = [
      {
        nodeId: "send",
        type: "send_to_remote",
        status: "completed" as const,
        inputs: { a: 1 },
        outputs: { messageId: "m1" },
        startedAt: now,
        durationMs: 1,
      },
    ];
    const record = (id: string, status: "completed" | "error") => ({
      id,
      flowId: "f1",
      version: 2,
      status,
      queue: "inbound" as const,
      queueRowId: 1,
      runKey: id,
      inputs: { a: 1 },
      outputs: {},
      steps,
      error: status === "error" ? "boom" : null,
      errorNodeId: status === "error" ? "send" : null,
      startedAt: now,
      durationMs: 2,
    });
    writer.add(record("e1", "error"));
    expect((await writer.steps("e1"))?.[0]?.outputs).toEqual({ messageId: "m1" }); // still waiting
    const flushing = writer.flush();
    expect((await writer.steps("e1"))?.[0]?.nodeId).toBe("send"); // being written
    await flushing;
    expect((await writer.steps("e1"))?.[0]?.outputs).toEqual({ messageId: "m1" }); // read back
    const stored = await storage.read(
      all(sql<{ id: string; status: string }>("SELECT id, status FROM flow_execution")),
    );
    expect(stored).toEqual([{ id: "e1", status: "error" }]);
    expect((await new NodeStatsQuery(storage).figures("f1", 2, HOUR, now)).nodes.send?.errors).toBe(1);
    expect(await writer.steps("missing")).toBeUndefined();
  });
}

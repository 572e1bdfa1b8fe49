import { describe, expect, it } from "vitest";
import { ExecutionWriter } from "../runner/execution-writer";
import { SyncConfig } from "../sync/config-store";
import { SecretBox } from "../sync/secrets";
import { memoryInstance } from "../testing/memory-instance";
import { QueueMonitor } from "./monitor";

// The live canvas's error count links to the queue rows whose (last) execution failed at that
// node: queue row → flow_execution_id → flow_execution.error_node_id.
describe("queue monitor filtered to rows that failed at a node", () => {
  it("lists exactly the rows whose execution failed there, for that flow version", async () => {
    const { db, storage } = memoryInstance();
    const writer = new ExecutionWriter(storage);
    const insert = db.$client.prepare(
      `INSERT INTO inbound_queue (message_id, remote_system_id, process_event, operation, remote_correlation_id,
         lane_seq, payload, status, flow_execution_id, received_at) VALUES (?, 'r', 'e', 'update', ?, 1, '{}', ?, ?, 0)`,
    );
    const cases = [
      { version: 2, node: "update", status: "error" }, // listed
      { version: 2, node: "update", status: "error" }, // listed
      { version: 2, node: "lookup", status: "error" }, // another node
      { version: 1, node: "update", status: "error" }, // another version
      { version: 2, node: null, status: "processed" }, // did not fail
    ] as const;
    for (const [i, c] of cases.entries()) {
      writer.add({
        id: `x${i}`,
        flowId: "f1",
        version: c.version,
        status: c.node ? "error" : "completed",
        queue: "inbound",
        queueRowId: i + 1,
        runKey: `k${i}`,
        inputs: {},
        outputs: {},
        steps: [],
        error: c.node ? "failed" : null,
        errorNodeId: c.node,
        startedAt: 1,
        durationMs: 1,
      });
      insert.run(`m${i}`, `c${i}`, c.status, `x${i}`);
    }
    await writer.flush();
    const monitor = new QueueMonitor(storage, new SyncConfig(storage, SecretBox.forTests()));
    const list = async (version?: number) =>
      (
        await monitor.list({
          queue: "inbound",
          statuses: ["error"],
          failedAt: { flowId: "f1", nodeId: "update", version },
          limit: 100,
        })
      ).rows
        .map((r) => r.id)
        .sort();
    expect(await list(2)).toEqual([1, 2]);
    expect(await list()).toEqual([1, 2, 4]);
    expect((await monitor.list({ queue: "inbound", limit: 100 })).rows).toHaveLength(5);
  });
});

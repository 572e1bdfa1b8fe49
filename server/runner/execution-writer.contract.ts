import { expect, it } from "vitest";
import { unpackSteps } from "../flow-store/execution-journal";
import { getExecution } from "../flow-store/flow-queries";
import { FlowStore } from "../flow-store/flow-store";
import { JournalSampler } from "../flow-store/journal-sampling";
import { InboundAcceptor } from "../queue/inbound/accept";
import { InboundStore } from "../queue/inbound/store";
import { NodeStatsQuery } from "../stats/node-stats-query";
import { HOUR } from "../stats/node-stats-writer";
import { all, type Storage, sql, transactionWith } from "../storage";
import { type ExecutionRecord, ExecutionWriter } from "./execution-writer";

// The execution writer on every dialect (issue 13): SQLite in execution-writer.test.ts (in memory
// and in a file), a real PostgreSQL in tests/integration/storage-seam.test.ts.

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

  it("a summarised run is stored naming its nodes by position in its version, and the execution view reads the steps the `~` form gave", async () => {
    const storage = await fresh();
    const flows = new FlowStore(storage);
    await flows.cloneTemplate("inbound-basic", "inbound", "ann", "f-in");
    await flows.publish("f-in", "ann");
    const flow = await flows.published("f-in");
    // an inbound-basic run's summary as the `~` form stored it
    const spelt =
      "~start,,0,0;transform,,0,0;lookup,,0.01,0.13;found,false,0.24,0;map_create,,0.24,0.15;create,,0.48,11.86;correlate,,12.47,0.52;has_attachments_create,false,13.06,0;end_created,,13.06,0";
    const types = new Map(Object.entries(flow.dag.nodes).map(([id, n]) => [id, n.type]));
    const steps = unpackSteps(spelt, null, { startedAt: now, types, nodes: [] });
    const writer = new ExecutionWriter(storage, () => now, new JournalSampler({ keepFirst: 0, oneIn: 0 }));
    const record = (id: string, nodeOrder?: readonly string[]): ExecutionRecord => ({
      id,
      flowId: "f-in",
      version: flow.version,
      status: "completed",
      queue: "inbound",
      queueRowId: 1,
      runKey: id,
      inputs: {},
      outputs: {},
      steps,
      ...(nodeOrder ? { nodeOrder } : {}),
      error: null,
      errorNodeId: null,
      startedAt: now,
      durationMs: 14,
    });
    writer.add(record("by-position", flow.dag.order));
    writer.add(record("by-id"));
    await writer.flush();
    const stored = new Map(
      (
        await storage.read(
          all(sql<{ id: string; steps: string }>("SELECT id, steps FROM flow_execution ORDER BY id")),
        )
      ).map((r) => [r.id, r.steps]),
    );
    expect(stored.get("by-id")).toBe(spelt);
    const byPosition = stored.get("by-position") ?? "";
    expect(byPosition.startsWith("^")).toBe(true);
    expect(byPosition.length).toBeLessThanOrEqual(spelt.length / 2);
    const read = async (id: string) => (await getExecution(storage, id))?.steps;
    expect((await read("by-position"))?.map((s) => s.nodeId)).toEqual(steps.map((s) => s.nodeId));
    expect(await read("by-position")).toStrictEqual(await read("by-id"));
  });

  it("a whole journal is kept deflated on SQLite and as text on PostgreSQL, and the view and a replay read the same steps", async () => {
    const storage = await fresh();
    const writer = new ExecutionWriter(storage, () => now);
    const record = {
      sys_id: "4f1c9d1e2b7a4c5d8e9f0a1b2c3d4e5f",
      short_description: "Printer on fire ".repeat(8),
    };
    const steps = Array.from({ length: 12 }, (_, i) => ({
      nodeId: `n${i}`,
      type: i % 2 ? "update_record" : "lookup_record",
      status: "completed" as const,
      inputs: { table: "incident", record },
      outputs: { record, found: true },
      startedAt: now + i,
      durationMs: 0.5,
      port: "next",
    }));
    const inputs = { payload: { capture_metadata: { sys_id: record.sys_id } }, remote_system: "beta" };
    writer.add({
      id: "whole",
      flowId: "f1",
      version: 1,
      status: "error",
      queue: "inbound",
      queueRowId: 1,
      runKey: "r1",
      inputs,
      outputs: { record },
      steps,
      error: "boom",
      errorNodeId: "n11",
      startedAt: now,
      durationMs: 12,
    });
    await writer.flush();
    const [row] = await storage.read(
      all(
        sql<{ kind: string; bytes: number }>(
          "SELECT CASE WHEN steps LIKE '[%' THEN 'text' ELSE 'bytes' END AS kind, length(steps) AS bytes FROM flow_execution",
        ),
      ),
    );
    const text = JSON.stringify(steps).length;
    if (storage.dialect === "sqlite") {
      expect(row?.kind).toBe("bytes");
      expect(row?.bytes).toBeLessThan(text / 5);
    } else expect(row).toEqual({ kind: "text", bytes: text });
    const view = await getExecution(storage, "whole");
    expect(view?.steps).toEqual(steps);
    expect([view?.inputs, view?.outputs]).toEqual([inputs, { record }]);
    expect(await writer.steps("whole")).toEqual(steps); // what a reprocess replays
  });

  it("the executions a turn's outcomes name ride in the outcomes' transaction: one commit, and a failed one keeps them", async () => {
    const storage = await fresh();
    const writer = new ExecutionWriter(storage, () => now);
    const record = (
      id: string,
      queueRowId: number,
      queue: "inbound" | "outbound" = "inbound",
    ): ExecutionRecord => ({
      id,
      flowId: "f1",
      version: 1,
      status: "completed",
      queue,
      queueRowId,
      runKey: id,
      inputs: {},
      outputs: {},
      steps: [],
      error: null,
      errorNodeId: null,
      startedAt: now,
      durationMs: 1,
    });
    const executions = () =>
      storage.read(all(sql<{ id: string }>("SELECT id FROM flow_execution ORDER BY id")));
    const message = (id: string, seq: number) => ({
      id,
      process_event: "e",
      operation: "update" as const,
      sender_correlation_id: `lane-${id}`,
      receiver_correlation_id: null,
      lane_sequence: seq,
      payload: { id },
    });
    await new InboundAcceptor(storage).accept("r1", [message("m1", 1)], "global");
    const store = new InboundStore(storage);
    const [row] = await store.claim("r1", now, 10);
    if (!row) throw new Error("no row claimed");

    // the writer's own write waits two turns, so the outcome written at the next turn takes them;
    // each queue's outcomes take only their own queue's runs
    writer.add(record("e1", row.sequence));
    writer.add(record("o1", 7, "outbound"));
    await new Promise((resolve) => setImmediate(resolve));
    const taken = writer.take("inbound");
    expect(taken).toBeDefined();
    expect(writer.take("inbound")).toBeUndefined(); // taken once
    const outbound = writer.take("outbound"); // still there for the outbound outcomes
    expect(outbound).toBeDefined();
    expect(await executions()).toEqual([]);
    const landed = await store.complete(
      [{ sequence: row.sequence, kind: "processed", executionId: "e1", durationMs: 1, warning: null }],
      now,
      taken,
    );
    expect(landed).toBe(1);
    expect(await executions()).toEqual([{ id: "e1" }]);
    await transactionWith(storage, outbound, function* () {});
    await writer.flush(); // nothing left to write twice
    expect(await executions()).toEqual([{ id: "e1" }, { id: "o1" }]);

    // a transaction that fails (disk full) writes none of them; they stay readable and go on their own
    writer.add(record("e2", 99));
    const again = writer.take("inbound");
    const steps = writer.steps("e2"); // while it rides: still readable for a replay
    await expect(
      // biome-ignore lint/correctness/useYield: a transaction that fails before its own writes
      transactionWith(storage, again, function* () {
        throw new Error("disk full");
      }),
    ).rejects.toThrow("disk full");
    expect(await steps).toEqual([]);
    expect(await executions()).toEqual([{ id: "e1" }, { id: "o1" }]);
    expect(await writer.steps("e2")).toEqual([]);
    await writer.flush();
    expect(await executions()).toEqual([{ id: "e1" }, { id: "e2" }, { id: "o1" }]);
  });
}

import { describe, expect, it } from "vitest";
import type { StepRecord } from "../../flows";
import { getExecution } from "../flow-store/flow-queries";
import { purgeFinishedRows } from "../queue/retention";
import { memoryInstance } from "../testing/memory-instance";
import { ExecutionWriter } from "./execution-writer";
import { JournalSampler, samplingFromEnv, summarise } from "./journal-sampling";

const steps: StepRecord[] = [
  {
    nodeId: "map",
    type: "map_fields",
    status: "completed",
    port: "next",
    inputs: { big: "x".repeat(500) },
    outputs: { fields: { a: 1 } },
    startedAt: 1,
    durationMs: 1,
  },
  {
    nodeId: "send",
    type: "send_payload",
    status: "completed",
    port: "next",
    inputs: { payload: "y".repeat(500) },
    outputs: { messageId: "m1" },
    startedAt: 2,
    durationMs: 2,
  },
];

describe("journal sampling", () => {
  it("keeps failed runs whole, the first N successful ones per flow, then one in M", () => {
    const s = new JournalSampler({ keepFirst: 2, oneIn: 3 });
    const kept = Array.from({ length: 9 }, () => s.keepWhole("f1", "completed"));
    expect(kept).toEqual([true, true, false, false, true, false, false, true, false]);
    expect(s.keepWhole("f1", "error")).toBe(true);
    expect(s.keepWhole("f2", "completed")).toBe(true); // counted per flow
    const none = new JournalSampler({ keepFirst: 0, oneIn: 0 });
    expect(none.keepWhole("f", "completed")).toBe(false);
  });

  it("reads its rule from the environment, with defaults for missing or bad values", () => {
    expect(samplingFromEnv({})).toEqual({ keepFirst: 20, oneIn: 100 });
    expect(samplingFromEnv({ TANDEM_JOURNAL_KEEP_FIRST: "0", TANDEM_JOURNAL_SAMPLE_ONE_IN: "x" })).toEqual({
      keepFirst: 0,
      oneIn: 100,
    });
  });

  it("a summary drops inputs and outputs but keeps what a replay reads: side-effect outputs", () => {
    const [map, send] = summarise(steps);
    expect(map).toMatchObject({
      nodeId: "map",
      status: "completed",
      port: "next",
      inputs: null,
      outputs: null,
    });
    expect(send).toMatchObject({ nodeId: "send", inputs: null, outputs: { messageId: "m1" } });
  });

  it("a summary-only run is stored smaller, says so, and replays its effects; retention purges it", () => {
    const { db } = memoryInstance();
    const writer = new ExecutionWriter(db, Date.now, new JournalSampler({ keepFirst: 1, oneIn: 0 }));
    const old = Date.now() - 10 * 86_400_000;
    db.$client
      .prepare(
        `INSERT INTO inbound_queue (message_id, remote_system_id, process_event, operation, remote_correlation_id, lane_key,
           lane_seq, payload, status, received_at, finished_at) VALUES (?, 'r', 'e', 'update', 'c', 'l', 1, '{}', 'processed', ?, ?)`,
      )
      .run("m1", old, old);
    const seq = (db.$client.prepare("SELECT sequence FROM inbound_queue").get() as { sequence: number })
      .sequence;
    for (const id of ["whole", "summary"])
      writer.add({
        id,
        flowId: "f1",
        version: 1,
        status: "completed",
        queue: "inbound",
        queueRowId: seq,
        runKey: id,
        inputs: { payload: { a: 1 } },
        outputs: {},
        steps,
        error: null,
        errorNodeId: null,
        startedAt: old,
        durationMs: 3,
      });
    writer.flush();
    expect(getExecution(db, "whole")?.detail).toBe("full");
    const summary = getExecution(db, "summary");
    expect(summary?.detail).toBe("summary");
    expect(summary?.inputs).toBeNull();
    expect(writer.steps("summary")?.find((s) => s.nodeId === "send")?.outputs).toEqual({ messageId: "m1" });
    const size = (id: string) =>
      (
        db.$client.prepare("SELECT length(steps) AS n FROM flow_execution WHERE id = ?").get(id) as {
          n: number;
        }
      ).n;
    expect(size("summary")).toBeLessThan(size("whole") / 3);
    purgeFinishedRows(db, 7 * 86_400_000);
    expect(db.$client.prepare("SELECT count(*) AS n FROM flow_execution").get()).toEqual({ n: 0 });
  });
});

import { describe, expect, it } from "vitest";
import { type ExecutionRecord, ExecutionWriter } from "../runner/execution-writer";
import { SqliteStorage } from "../storage/sqlite";
import { memoryInstance } from "../testing/memory-instance";
import { NodeStatsQuery, statWindows, windowParts } from "./node-stats-query";
import { HOUR, MINUTE, StatsBatch } from "./node-stats-writer";

//   start → update ─next→ end
//             └─error (unrouted: the run fails at update)
const now = Date.UTC(2026, 11, 3, 12, 30, 20);
let n = 0;
function run(at: number, fail: boolean, over: Partial<ExecutionRecord> = {}): ExecutionRecord {
  n++;
  return {
    id: `x${n}`,
    flowId: "f1",
    version: 2,
    status: fail ? "error" : "completed",
    queue: "inbound",
    queueRowId: n,
    runKey: `k${n}`,
    inputs: {},
    outputs: {},
    steps: [
      {
        nodeId: "start",
        type: "flow_inputs",
        status: "completed",
        port: "next",
        inputs: {},
        outputs: {},
        startedAt: at,
        durationMs: 0.2,
      },
      fail
        ? {
            nodeId: "update",
            type: "update_record",
            status: "error",
            inputs: {},
            outputs: {},
            startedAt: at,
            durationMs: 40,
          }
        : {
            nodeId: "update",
            type: "update_record",
            status: "completed",
            port: "next",
            inputs: {},
            outputs: {},
            startedAt: at,
            durationMs: 4,
          },
      ...(fail
        ? []
        : [
            {
              nodeId: "end",
              type: "end",
              status: "completed" as const,
              inputs: {},
              outputs: {},
              startedAt: at,
              durationMs: 0.1,
            },
          ]),
    ],
    error: fail ? `bad choice ${n}` : null,
    errorNodeId: fail ? "update" : null,
    startedAt: at,
    durationMs: 5,
    ...over,
  };
}

describe("node stats aggregate", () => {
  it("sums a batch per key in memory: one cell per node, port, span and bucket", () => {
    const batch = new StatsBatch();
    for (let i = 0; i < 50; i++) batch.add(run(now - i * 1000, i % 10 === 0));
    // 3 nodes + 2 ports (start:next, update:next), in 2 minute buckets (12:29, 12:30) and 1 hour bucket
    expect(batch.size).toBe(15);
    const cells = [...batch.cells()];
    const update = cells.find((c) => c.span === HOUR && c.nodeId === "update" && c.port === "");
    expect(update).toMatchObject({ runs: 50, errors: 5 });
    expect(cells.find((c) => c.span === HOUR && c.nodeId === "update" && c.port === "next")?.runs).toBe(45);
  });

  it("counts a node once per run, however many loop steps it ran", () => {
    const batch = new StatsBatch();
    const r = run(now, false);
    const loopStep = { ...r.steps[1], iteration: "0" } as ExecutionRecord["steps"][number];
    batch.add({ ...r, steps: [...r.steps, loopStep, { ...loopStep, iteration: "1" }] });
    const update = [...batch.cells()].find(
      (c) => c.span === MINUTE && c.nodeId === "update" && c.port === "",
    );
    expect(update?.runs).toBe(1);
  });

  it("splits a window into minute rows for the partial hour and hour rows for the rest", () => {
    const parts = windowParts(now, statWindows["24h"]);
    expect(parts.hourFrom % HOUR).toBe(0);
    expect(parts.hourFrom).toBeGreaterThan(now - 24 * HOUR);
    expect(parts.minuteFrom).toBeLessThanOrEqual(now - 24 * HOUR);
    expect(windowParts(Date.UTC(2026, 11, 3, 12), HOUR)).toEqual({
      minuteFrom: Date.UTC(2026, 11, 3, 11),
      hourFrom: Date.UTC(2026, 11, 3, 11),
    });
  });

  it("is written with the runs and read back per window: runs, errors, p95, last error, edges", async () => {
    const { db, storage } = memoryInstance();
    const writer = new ExecutionWriter(storage, () => now);
    // ARRANGE: 30 runs in the last 10 minutes (3 failed), 20 runs 3 hours ago (all failed),
    // 10 runs 2 days ago, 5 runs of another version now — written in two batches.
    for (let i = 0; i < 30; i++) writer.add(run(now - i * 20_000, i % 10 === 5));
    await writer.flush();
    for (let i = 0; i < 20; i++) writer.add(run(now - 3 * HOUR - i * 1000, true));
    for (let i = 0; i < 10; i++) writer.add(run(now - 48 * HOUR - i * 1000, false));
    for (let i = 0; i < 5; i++) writer.add(run(now, false, { version: 1 }));
    await writer.flush();
    const q = new NodeStatsQuery(new SqliteStorage(db.$client));

    // ACT + ASSERT per window
    const short = await q.figures("f1", 2, statWindows["15m"], now);
    expect(short.nodes.update).toMatchObject({ runs: 30, errors: 3 });
    expect(short.nodes.start?.runs).toBe(30);
    expect(short.ports["update:next"]).toBe(27);
    expect(short.ports["start:next"]).toBe(30);
    expect(short.nodes.end?.runs).toBe(27);
    // 27 runs took 4 ms, 3 took 40 ms: p95 (the 29th of 30) is in the 40 ms bucket
    expect(short.nodes.update?.p95Ms).toBeGreaterThanOrEqual(40);
    expect(short.nodes.update?.lastError).toMatch(/^bad choice/);

    const day = await q.figures("f1", 2, statWindows["24h"], now);
    expect(day.nodes.update).toMatchObject({ runs: 50, errors: 23 });
    const week = await q.figures("f1", 2, statWindows["7d"], now);
    expect(week.nodes.update).toMatchObject({ runs: 60, errors: 23 });
    expect((await q.figures("f1", 1, statWindows["15m"], now)).nodes.update?.errors).toBe(0);

    // The aggregate agrees with the execution rows it was written with.
    const exact = db.$client
      .prepare(
        "SELECT count(*) AS n FROM flow_execution WHERE version = 2 AND error_node_id = 'update' AND started_at >= ?",
      )
      .get(now - 24 * HOUR) as { n: number };
    expect(exact.n).toBe(23);
  });

  it("keeps the newest error message of the window", async () => {
    const { db, storage } = memoryInstance();
    const writer = new ExecutionWriter(storage, () => now);
    writer.add(run(now - 5 * MINUTE, true, { error: "older" }));
    await writer.flush();
    writer.add(run(now - MINUTE, true, { error: "newer" }));
    writer.add(run(now - 2 * MINUTE, true, { error: "in between" }));
    await writer.flush();
    const f = await new NodeStatsQuery(new SqliteStorage(db.$client)).figures(
      "f1",
      2,
      statWindows["1h"],
      now,
    );
    expect(f.nodes.update).toMatchObject({ errors: 3, lastError: "newer", lastErrorAt: now - MINUTE });
  });
});

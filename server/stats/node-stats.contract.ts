import { expect, it } from "vitest";
import { all, run, type Storage, sql } from "../storage";
import { flowFigures } from "./flow-figures";
import { NodeStatsQuery } from "./node-stats-query";
import { HOUR, MINUTE, nodeStatsPlans, type RunForStats, StatsBatch } from "./node-stats-writer";

// The live canvas's aggregate (flow_node_stat) on every dialect (issue 13): SQLite in
// node-stats-store.test.ts, a real PostgreSQL in tests/integration/storage-seam.test.ts.

const now = Date.UTC(2026, 11, 3, 12, 30, 20);

function runAt(at: number, fail: boolean, over: Partial<RunForStats> = {}): RunForStats {
  return {
    flowId: "f1",
    version: 2,
    status: fail ? "error" : "completed",
    startedAt: at,
    error: fail ? `bad choice at ${at}` : null,
    errorNodeId: fail ? "update" : null,
    steps: [
      { nodeId: "start", port: "next", durationMs: 0.2 },
      fail ? { nodeId: "update", durationMs: 40 } : { nodeId: "update", port: "next", durationMs: 4 },
      ...(fail ? [] : [{ nodeId: "end", durationMs: 0.1 }]),
    ],
    ...over,
  };
}

function batchOf(runs: RunForStats[]): StatsBatch {
  const batch = new StatsBatch();
  for (const r of runs) batch.add(r);
  return batch;
}

const addFlow = sql(
  "INSERT INTO flow (id, name, kind, draft, latest_version, created_at, updated_at, updated_by) VALUES (?, ?, 'sync', '{}', ?, 0, 0, 'tester')",
);
const addVersion = sql(
  "INSERT INTO flow_version (flow_id, version, graph, dag, published_at, published_by) VALUES (?, ?, '{}', '{}', 0, 'tester')",
);
const cells = sql<{ span: number; bucket: number }>(
  "SELECT DISTINCT span, bucket FROM flow_node_stat ORDER BY span, bucket",
);

export function nodeStatsContract(fresh: () => Promise<Storage>): void {
  it("adds batches into the same cells: runs and errors summed, histograms merged, newest error kept", async () => {
    const storage = await fresh();
    await storage.transaction(() =>
      nodeStatsPlans.write(batchOf([runAt(now - 5 * MINUTE, true, { error: "older" }), runAt(now, false)])),
    );
    // a second batch into the same minute and hour cells (the upsert's conflict branch)
    await storage.transaction(() =>
      nodeStatsPlans.write(
        batchOf([
          runAt(now - MINUTE, true, { error: "newer" }),
          runAt(now - 2 * MINUTE, true, { error: "in between" }),
          ...Array.from({ length: 26 }, (_, i) => runAt(now - i * 1000, false)),
        ]),
      ),
    );
    const f = await new NodeStatsQuery(storage).figures("f1", 2, HOUR, now);
    expect(f.nodes.update).toMatchObject({
      runs: 30,
      errors: 3,
      lastError: "newer",
      lastErrorAt: now - MINUTE,
    });
    expect(typeof f.nodes.update?.runs).toBe("number"); // bigint comes back as a number on PostgreSQL too
    expect(f.nodes.start?.runs).toBe(30);
    expect(f.ports["update:next"]).toBe(27);
    // 27 runs took 4 ms, 3 took 40 ms: p95 is in the 40 ms bucket, so the histograms were merged
    expect(f.nodes.update?.p95Ms).toBeGreaterThanOrEqual(40);
  });

  it("reads a window from hour rows and the minute rows of its partial hour", async () => {
    const storage = await fresh();
    await storage.transaction(function* () {
      yield* nodeStatsPlans.write(
        batchOf(Array.from({ length: 10 }, (_, i) => runAt(now - i * 20_000, false))),
      );
      yield* nodeStatsPlans.write(
        batchOf(Array.from({ length: 20 }, (_, i) => runAt(now - 3 * HOUR - i * 1000, true))),
      );
      yield* nodeStatsPlans.write(
        batchOf(Array.from({ length: 5 }, (_, i) => runAt(now - 48 * HOUR - i * 1000, false))),
      );
    });
    const q = new NodeStatsQuery(storage);
    expect((await q.figures("f1", 2, 15 * MINUTE, now)).nodes.update).toMatchObject({ runs: 10, errors: 0 });
    expect((await q.figures("f1", 2, 24 * HOUR, now)).nodes.update).toMatchObject({ runs: 30, errors: 20 });
    expect((await q.figures("f1", 2, 7 * 24 * HOUR, now)).nodes.update).toMatchObject({
      runs: 35,
      errors: 20,
    });
    expect(await q.figures("f1", 1, 7 * 24 * HOUR, now)).toEqual({ version: 1, nodes: {}, ports: {} });
  });

  it("flowFigures: the latest version and the one published before it, over one window", async () => {
    const storage = await fresh();
    await storage.transaction(function* () {
      yield* run(addFlow, "f1", "Flow one", 3);
      for (const v of [1, 3]) yield* run(addVersion, "f1", v);
      yield* nodeStatsPlans.write(
        batchOf([
          runAt(now, false, { version: 3 }),
          runAt(now, true, { version: 1 }),
          runAt(now, false, { version: 1 }),
        ]),
      );
    });
    const flows = { get: () => ({ kind: "sync", latestVersion: 3 }) } as never;
    const figures = await flowFigures({ storage, flows }, { flowId: "f1", window: "1h" }, now);
    expect(figures.current?.version).toBe(3);
    expect(figures.current?.nodes.update).toMatchObject({ runs: 1, errors: 0 });
    expect(figures.previous?.version).toBe(1);
    expect(figures.previous?.nodes.update).toMatchObject({ runs: 2, errors: 1 });
    const first = await flowFigures({ storage, flows }, { flowId: "f1", version: 1, window: "1h" }, now);
    expect(first.previous).toBeNull();
  });

  it("purges minute buckets after 8 days and hour buckets after 35", async () => {
    const storage = await fresh();
    await storage.transaction(function* () {
      yield* nodeStatsPlans.write(
        batchOf([runAt(now - 9 * 24 * HOUR, false), runAt(now - 36 * 24 * HOUR, false)]),
      );
      yield* nodeStatsPlans.purge(now);
    });
    const left = await storage.read(all(cells));
    const hour9 = now - 9 * 24 * HOUR - ((now - 9 * 24 * HOUR) % HOUR);
    expect(left).toEqual([{ span: HOUR, bucket: hour9 }]);
  });
}

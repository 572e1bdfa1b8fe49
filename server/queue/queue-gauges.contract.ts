import { expect, it } from "vitest";
import { metrics } from "../observability/metrics";
import { run, type Storage, sql } from "../storage";
import type { RemoteSystemRow, SyncConfig } from "../sync/config-store";
import { installQueueGauges, queueGaugePlans } from "./queue-gauges";

// The queue gauges' reads on every dialect (issue 13): SQLite in queue-gauges.test.ts,
// a real PostgreSQL in tests/integration/storage-seam.test.ts.

const outboundRow = sql(
  `INSERT INTO outbound_queue (message_id, status, process_event, remote_system_id, flow_binding_id, operation, table_name,
     record_sys_id, lane_seq, payload, next_attempt_at, retry_history, created_at)
   VALUES (?, ?, 'e', ?, 'b', 'create', 'incident', ?, 1, '{}', 0, '[]', ?)`,
);
const inboundRow = sql(
  `INSERT INTO inbound_queue (message_id, remote_system_id, process_event, operation, remote_correlation_id,
     lane_seq, payload, status, received_at)
   VALUES (?, ?, 'e', 'create', 'c', 1, '{}', ?, ?)`,
);

export function queueGaugesContract(fresh: () => Promise<Storage>): void {
  async function setUp() {
    const storage = await fresh();
    const now = Date.now();
    await storage.transaction(function* () {
      yield* run(outboundRow, "m1", "ready", "r-beta", "r1", now - 5_000);
      yield* run(outboundRow, "m2", "ready", "r-beta", "r2", now - 1_000);
      yield* run(outboundRow, "m3", "error", "r-beta", "r3", now);
      yield* run(outboundRow, "m4", "processed", "r-beta", "r4", now - 60_000);
      yield* run(outboundRow, "m5", "ready", "r-gamma", "r5", now - 90_000);
      yield* run(inboundRow, "i1", "r-beta", "processing", now - 2_000);
    });
    return { storage, now };
  }

  it("counts the rows waiting per queue and status, and finds the oldest ready one", async () => {
    const { storage, now } = await setUp();
    expect(await storage.read(queueGaugePlans.depth("r-beta"))).toEqual({
      outbound: { ready: 2, processing: 0, error: 1 },
      inbound: { ready: 0, processing: 1, error: 0 },
    });
    expect(await storage.read(queueGaugePlans.oldestReady("r-beta"))).toEqual({
      outbound: now - 5_000,
      inbound: undefined,
    });
  });

  it("is read at scrape time, per remote by name", async () => {
    const { storage } = await setUp();
    const remotes = new Map([["r-beta", { id: "r-beta", name: "beta" } as RemoteSystemRow]]);
    installQueueGauges({
      storage,
      config: { snapshot: () => ({ remotesById: remotes }) } as unknown as SyncConfig,
    });
    const text = await metrics().registry.metrics();
    expect(text).toContain('tandem_queue_depth{queue="outbound",remote="beta",status="ready"} 2');
    expect(text).toContain('tandem_queue_depth{queue="inbound",remote="beta",status="processing"} 1');
    const age = /tandem_queue_oldest_ready_age_seconds\{queue="outbound",remote="beta"\} (\S+)/.exec(text);
    expect(Number(age?.[1])).toBeGreaterThanOrEqual(5);
    expect(Number(age?.[1])).toBeLessThan(60); // the processed row is not "waiting"; gamma is not listed
    expect(text).toContain('tandem_queue_oldest_ready_age_seconds{queue="inbound",remote="beta"} 0');
  });
}

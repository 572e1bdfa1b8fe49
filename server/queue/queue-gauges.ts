import { Gauge } from "prom-client";
import { metrics } from "../observability/metrics";
import { each, get, type Plan, type Storage, sql } from "../storage";
import type { SyncConfig } from "../sync/config-store";

// Queue depth and the age of the oldest ready row, per queue and remote system, read at scrape
// time. Each figure is one range of the claim indexes (remote, status, id|sequence): the cost
// follows the rows waiting, not the processed history kept for the retention period.

const waiting = ["ready", "processing", "error"] as const;
type Waiting = (typeof waiting)[number];

const Q = {
  outboundCount: sql<{ n: number }>(
    "SELECT count(*) AS n FROM outbound_queue WHERE remote_system_id = ? AND status = ? AND status <> 'processed'",
  ),
  inboundCount: sql<{ n: number }>(
    "SELECT count(*) AS n FROM inbound_queue WHERE remote_system_id = ? AND status = ? AND status <> 'processed'",
  ),
  outboundOldest: sql<{ at: number }>(
    `SELECT created_at AS at FROM outbound_queue WHERE remote_system_id = ? AND status = 'ready' AND status <> 'processed'
     ORDER BY id LIMIT 1`,
  ),
  inboundOldest: sql<{ at: number }>(
    `SELECT received_at AS at FROM inbound_queue WHERE remote_system_id = ? AND status = 'ready' AND status <> 'processed'
     ORDER BY sequence LIMIT 1`,
  ),
};

/** The gauges' reads as plans (server/storage/plan.ts). */
export const queueGaugePlans = {
  /** Rows per status not finished, per queue. */
  *depth(remoteId: string): Plan<Record<"outbound" | "inbound", Record<Waiting, number>>> {
    const depth = {
      outbound: { ready: 0, processing: 0, error: 0 },
      inbound: { ready: 0, processing: 0, error: 0 },
    };
    for (const status of waiting) {
      depth.outbound[status] = (yield* get(Q.outboundCount, remoteId, status))?.n ?? 0;
      depth.inbound[status] = (yield* get(Q.inboundCount, remoteId, status))?.n ?? 0;
    }
    return depth;
  },

  /** When the oldest ready row of each queue was queued; undefined when none waits. */
  *oldestReady(remoteId: string): Plan<{ outbound: number | undefined; inbound: number | undefined }> {
    return {
      outbound: (yield* get(Q.outboundOldest, remoteId))?.at,
      inbound: (yield* get(Q.inboundOldest, remoteId))?.at,
    };
  },
};

interface Source {
  storage: Storage;
  config: Pick<SyncConfig, "snapshot">;
}

const slot = Symbol.for("tandem.queue-gauges");
type Slot = { [slot]?: { source: Source } };

/** Points the queue gauges at this instance's storage (once per process; later calls re-point). */
export function installQueueGauges(source: Source): void {
  const g = globalThis as Slot;
  if (g[slot]) {
    g[slot].source = source;
    return;
  }
  const holder = { source };
  g[slot] = holder;
  const registers = [metrics().registry];
  const remotes = () => [...holder.source.config.snapshot().remotesById.values()];

  new Gauge({
    name: "tandem_queue_depth",
    help: "Queue rows not finished (ready, processing, error), per queue, remote system and status",
    labelNames: ["queue", "remote", "status"] as const,
    registers,
    async collect() {
      const { storage } = holder.source;
      const list = remotes();
      const figures = await storage.read(each(list, (remote) => queueGaugePlans.depth(remote.id)));
      this.reset();
      list.forEach((remote, i) => {
        const depth = figures[i];
        if (!depth) return;
        for (const status of waiting) {
          this.labels("outbound", remote.name, status).set(depth.outbound[status]);
          this.labels("inbound", remote.name, status).set(depth.inbound[status]);
        }
      });
    },
  });
  new Gauge({
    name: "tandem_queue_oldest_ready_age_seconds",
    help: "Age of the oldest ready row, per queue and remote system (0 when none waits)",
    labelNames: ["queue", "remote"] as const,
    registers,
    async collect() {
      const { storage } = holder.source;
      const list = remotes();
      const figures = await storage.read(each(list, (remote) => queueGaugePlans.oldestReady(remote.id)));
      const now = Date.now();
      const age = (at: number | undefined) => (at === undefined ? 0 : Math.max(0, (now - at) / 1000));
      this.reset();
      list.forEach((remote, i) => {
        const oldest = figures[i];
        if (!oldest) return;
        this.labels("outbound", remote.name).set(age(oldest.outbound));
        this.labels("inbound", remote.name).set(age(oldest.inbound));
      });
    },
  });
}

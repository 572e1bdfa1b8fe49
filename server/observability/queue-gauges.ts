import { Gauge } from "prom-client";
import type { Db } from "../db/client";
import type { SyncConfig } from "../sync/config-store";
import { metrics } from "./metrics";

// Queue depth and the age of the oldest ready row, per queue and remote system, read at scrape
// time. Each figure is one range of the claim indexes (remote, status, id|sequence): the cost
// follows the rows waiting, not the processed history kept for the retention period.

const waiting = ["ready", "processing", "error"] as const;

interface Source {
  db: Db;
  config: SyncConfig;
}

const slot = Symbol.for("tandem.queue-gauges");
type Slot = { [slot]?: { source: Source } };

/** Points the queue gauges at this instance's database (once per process; later calls re-point). */
export function installQueueGauges(source: Source): void {
  const g = globalThis as Slot;
  if (g[slot]) {
    g[slot].source = source;
    return;
  }
  const holder = { source };
  g[slot] = holder;
  const registers = [metrics().registry];
  const statements = new WeakMap<Db, ReturnType<typeof prepare>>();
  const sql = () => {
    const { db } = holder.source;
    let s = statements.get(db);
    if (!s) {
      s = prepare(db);
      statements.set(db, s);
    }
    return s;
  };
  const remotes = () => [...holder.source.config.snapshot().remotesById.values()];

  new Gauge({
    name: "tandem_queue_depth",
    help: "Queue rows not finished (ready, processing, error), per queue, remote system and status",
    labelNames: ["queue", "remote", "status"] as const,
    registers,
    collect() {
      this.reset();
      const s = sql();
      for (const remote of remotes()) {
        for (const status of waiting) {
          this.labels("outbound", remote.name, status).set(s.outboundCount.get(remote.id, status)?.n ?? 0);
          this.labels("inbound", remote.name, status).set(s.inboundCount.get(remote.id, status)?.n ?? 0);
        }
      }
    },
  });
  new Gauge({
    name: "tandem_queue_oldest_ready_age_seconds",
    help: "Age of the oldest ready row, per queue and remote system (0 when none waits)",
    labelNames: ["queue", "remote"] as const,
    registers,
    collect() {
      this.reset();
      const s = sql();
      const now = Date.now();
      const age = (at: number | undefined) => (at === undefined ? 0 : Math.max(0, (now - at) / 1000));
      for (const remote of remotes()) {
        this.labels("outbound", remote.name).set(age(s.outboundOldest.get(remote.id)?.at));
        this.labels("inbound", remote.name).set(age(s.inboundOldest.get(remote.id)?.at));
      }
    },
  });
}

function prepare(db: Db) {
  const c = db.$client;
  return {
    outboundCount: c.prepare<[string, string], { n: number }>(
      "SELECT count(*) AS n FROM outbound_queue WHERE remote_system_id = ? AND status = ?",
    ),
    inboundCount: c.prepare<[string, string], { n: number }>(
      "SELECT count(*) AS n FROM inbound_queue WHERE remote_system_id = ? AND status = ?",
    ),
    outboundOldest: c.prepare<[string], { at: number }>(
      `SELECT created_at AS at FROM outbound_queue WHERE remote_system_id = ? AND status = 'ready'
       ORDER BY id LIMIT 1`,
    ),
    inboundOldest: c.prepare<[string], { at: number }>(
      `SELECT received_at AS at FROM inbound_queue WHERE remote_system_id = ? AND status = 'ready'
       ORDER BY sequence LIMIT 1`,
    ),
  };
}

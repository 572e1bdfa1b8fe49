import type { Db } from "../db/client";

// Live updates for the monitors and the dashboard (SPEC 6: no reload).
//
// Why polling on the server instead of an event bus: queue rows change in many places (capture,
// the wire handler, both workers, reprocess/skip, retention), all through this process's one
// SQLite connection. `total_changes()` of that connection is a free "did anything change" probe,
// so one shared timer asks it a few times a second — and only while someone is watching. When it
// moved, a signature per topic (counts by status, attempts, newest row, remote states) says what
// changed; subscribers get the topic names and refetch what they show. Nothing is missed (no hook
// to forget when a new write path appears) and an idle instance does no work at all.

export type LiveTopic = "outbound" | "inbound" | "remotes" | "executions";
type Listener = (topics: LiveTopic[]) => void;

const signatures: Record<LiveTopic, string> = {
  outbound: `SELECT count(*) || ':' || coalesce(max(id), 0) || ':' || total(attempts) || ':' || total(status = 'processed')
    || ':' || total(status = 'error') || ':' || total(status = 'skipped') || ':' || total(status = 'processing') AS s FROM outbound_queue`,
  inbound: `SELECT count(*) || ':' || coalesce(max(sequence), 0) || ':' || total(attempts) || ':' || total(status = 'processed')
    || ':' || total(status = 'error') || ':' || total(status = 'skipped') || ':' || total(status = 'processing') AS s FROM inbound_queue`,
  remotes: "SELECT count(*) || ':' || coalesce(max(updated_at), 0) AS s FROM remote_system",
  // The live canvas: a new run (its figures are written in the same transaction). max(rowid) is
  // one index probe, however many runs are kept.
  executions: "SELECT coalesce(max(rowid), 0) AS s FROM flow_execution",
};

export class LiveChanges {
  private readonly listeners = new Set<Listener>();
  private timer: NodeJS.Timeout | undefined;
  private lastTotal = -1;
  private readonly last = new Map<LiveTopic, string>();

  constructor(
    private readonly db: Db,
    private readonly intervalMs = 400,
  ) {}

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    if (!this.timer) {
      this.timer = setInterval(() => this.poll(), this.intervalMs);
      this.timer.unref();
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    };
  }

  /** Topics whose signature moved since the last poll (all of them on the first poll). */
  poll(): LiveTopic[] {
    const c = this.db.$client;
    const total = (c.prepare("SELECT total_changes() AS n").get() as { n: number }).n;
    if (total === this.lastTotal) return [];
    this.lastTotal = total;
    const changed: LiveTopic[] = [];
    for (const topic of Object.keys(signatures) as LiveTopic[]) {
      const s = (c.prepare(signatures[topic]).get() as { s: string }).s;
      if (this.last.get(topic) !== s) {
        this.last.set(topic, s);
        changed.push(topic);
      }
    }
    if (changed.length > 0) for (const l of this.listeners) l(changed);
    return changed;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.listeners.clear();
  }
}

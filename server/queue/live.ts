import { dialect, get, type Plan, type Query, type Storage, sql } from "../storage";

// Live updates for the monitors and the dashboard (SPEC 6: no reload).
//
// Why polling on the server instead of an event bus: queue rows change in many places (capture,
// the wire handler, both workers, reprocess/skip, retention), all through this process's one
// SQLite connection. `total_changes()` of that connection is a free "did anything change" probe,
// so one shared timer asks it a few times a second (on PostgreSQL, where other processes write
// too, the timer reads the signatures themselves) — and only while someone is watching. When it
// moved, a signature per topic (counts by status, attempts, newest row, remote states) says what
// changed; subscribers get the topic names and refetch what they show. Nothing is missed (no hook
// to forget when a new write path appears) and an idle instance does no work at all.

export type LiveTopic = "outbound" | "inbound" | "remotes" | "executions" | "initialSync";
type Listener = (topics: LiveTopic[]) => void;

// SQLite's total(condition) is FILTER on PostgreSQL; its || takes numbers, PostgreSQL's text.
const queueSignature = (table: string, key: string) =>
  sql<{ s: string }>({
    sqlite: `SELECT count(*) || ':' || coalesce(max(${key}), 0) || ':' || total(attempts) || ':' || total(status = 'processed')
    || ':' || total(status = 'error') || ':' || total(status = 'skipped') || ':' || total(status = 'processing') AS s FROM ${table}`,
    postgres: `SELECT concat_ws(':', count(*), coalesce(max(${key}), 0), coalesce(sum(attempts), 0),
    count(*) FILTER (WHERE status = 'processed'), count(*) FILTER (WHERE status = 'error'),
    count(*) FILTER (WHERE status = 'skipped'), count(*) FILTER (WHERE status = 'processing')) AS s FROM ${table}`,
  });

const signatures: Record<LiveTopic, Query<{ s: string }>> = {
  outbound: queueSignature("outbound_queue", "id"),
  inbound: queueSignature("inbound_queue", "sequence"),
  remotes: sql({
    sqlite: "SELECT count(*) || ':' || coalesce(max(updated_at), 0) AS s FROM remote_system",
    postgres: "SELECT concat_ws(':', count(*), coalesce(max(updated_at), 0)) AS s FROM remote_system",
  }),
  // Initial sync jobs (issue 17): every change of a job (progress, status) moves its updated_at.
  initialSync: sql({
    sqlite: "SELECT count(*) || ':' || coalesce(max(updated_at), 0) AS s FROM initial_sync_job",
    postgres: "SELECT concat_ws(':', count(*), coalesce(max(updated_at), 0)) AS s FROM initial_sync_job",
  }),
  // The live canvas: a new run (its figures are written in the same transaction). max(rowid) is
  // one index probe, however many runs are kept; PostgreSQL has no rowid: runs counted, and the
  // latest start (a scan of the runs kept, as the queues' signatures scan the queues).
  executions: sql({
    sqlite: "SELECT coalesce(max(rowid), 0) AS s FROM flow_execution",
    postgres: "SELECT concat_ws(':', count(*), coalesce(max(started_at), 0)) AS s FROM flow_execution",
  }),
};
const topics = Object.keys(signatures) as LiveTopic[];
/** SQLite: changes committed on the instance's one connection (every write of the instance goes through it). */
const totalChanges = sql<{ n: number }>("SELECT total_changes() AS n");

export class LiveChanges {
  private readonly listeners = new Set<Listener>();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<LiveTopic[]> | undefined;
  private lastTotal = -1;
  private readonly last = new Map<LiveTopic, string>();

  constructor(
    private readonly storage: Storage,
    private readonly intervalMs = 400,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    if (!this.timer) {
      this.timer = setInterval(() => {
        // a slow poll (PostgreSQL) is not stacked with the next one
        if (!this.polling) this.poll().catch(this.onError);
      }, this.intervalMs);
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
  async poll(): Promise<LiveTopic[]> {
    const polling = this.storage.read(this.pollPlan());
    this.polling = polling;
    let changed: LiveTopic[];
    try {
      changed = await polling;
    } finally {
      this.polling = undefined;
    }
    if (changed.length > 0) for (const l of this.listeners) l(changed);
    return changed;
  }

  private *pollPlan(): Plan<LiveTopic[]> {
    // On PostgreSQL the other processes write too: no probe sees their changes, so every poll
    // reads the signatures (only while someone watches).
    if ((yield* dialect()) === "sqlite") {
      const total = (yield* get(totalChanges))?.n ?? 0;
      if (total === this.lastTotal) return [];
      this.lastTotal = total;
    }
    const changed: LiveTopic[] = [];
    for (const topic of topics) {
      const s = String((yield* get(signatures[topic]))?.s);
      if (this.last.get(topic) !== s) {
        this.last.set(topic, s);
        changed.push(topic);
      }
    }
    return changed;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.listeners.clear();
  }
}

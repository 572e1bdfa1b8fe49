import { randomUUID } from "node:crypto";
import pg from "pg";

// Signals (issue 13): "something changed" between the processes of one instance. A process that
// commits a change tells its own listeners at once and, on PostgreSQL, the other processes with
// NOTIFY; each process LISTENs on one dedicated connection. Signals are hints to look again (wake a
// worker, reload a cache), never the data itself: a listener re-reads what it needs from the
// database, so a lost signal costs latency and is covered by the readers' own fallbacks (lease
// sweeps, cache lifetimes), never correctness.

export type Channel =
  /** SyncConfig's tables: remotes, events, captures, bindings (payload: unused). */
  | "config"
  /** Published flows (payload: unused). */
  | "flows"
  /** sys_user rows and credentials (payload: unused). */
  | "users"
  /** Table definitions of the table_registry (payload: unused). */
  | "tables"
  /** New or returned outbound rows (payload: the remote system id, or "" for any). */
  | "outbound"
  /** New or returned inbound rows (payload: unused). */
  | "inbound";

/** The payload a listener gets after a lost LISTEN connection came back: anything may have changed. */
export const RESYNC = "*";

export interface Signals {
  /** Call after the change committed: this process's listeners run now, the other processes' shortly after. */
  notify(channel: Channel, payload?: string): void;
  /** Runs `fn` for every signal on `channel`, from this process or another, and with RESYNC after a reconnect. */
  listen(channel: Channel, fn: (payload: string) => void): () => void;
  close(): Promise<void>;
}

/** The signals of one process (SQLite: an instance is one process). */
export class LocalSignals implements Signals {
  private readonly listeners = new Map<Channel, Set<(payload: string) => void>>();

  notify(channel: Channel, payload = ""): void {
    this.deliver(channel, payload);
  }

  listen(channel: Channel, fn: (payload: string) => void): () => void {
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
    }
    set.add(fn);
    return () => set.delete(fn);
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }

  /** Runs the listeners of `channel`; one that throws does not stop the others. */
  protected deliver(channel: Channel, payload: string): void {
    for (const fn of [...(this.listeners.get(channel) ?? [])]) {
      try {
        fn(payload);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  /** Every channel with a listener. */
  protected channels(): Channel[] {
    return [...this.listeners.keys()];
  }
}

const CHANNELS: readonly Channel[] = ["config", "flows", "users", "tables", "outbound", "inbound"];
const PREFIX = "tandem_";

/**
 * Signals across the processes of one PostgreSQL database. NOTIFY goes through the pool (a
 * statement of its own, after the caller's commit); LISTEN holds one client of its own, which is
 * reconnected with backoff when it drops; after it comes back every listener gets RESYNC.
 */
export class PgSignals extends LocalSignals {
  /** Tells our own NOTIFYs apart from the other processes' (ours were delivered already). */
  private readonly tag = randomUUID();
  private client: pg.Client | undefined;
  private closed = false;
  private retryMs = 100;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly ready: Promise<void>;

  constructor(
    private readonly pool: pg.Pool,
    private readonly onError: (error: Error) => void = () => {},
  ) {
    super();
    this.ready = this.connect();
  }

  /** Settles once the first LISTEN is in place (or failed; it keeps retrying). */
  started(): Promise<void> {
    return this.ready;
  }

  override notify(channel: Channel, payload = ""): void {
    this.deliver(channel, payload);
    if (this.closed) return;
    this.pool
      .query("SELECT pg_notify($1, $2)", [PREFIX + channel, `${this.tag}|${payload}`])
      .catch((error) => {
        this.onError(error as Error);
      });
  }

  override async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
    await super.close();
  }

  private async connect(): Promise<void> {
    const client = new pg.Client(this.pool.options);
    client.on("notification", (message) => {
      const channel = message.channel.slice(PREFIX.length) as Channel;
      const text = message.payload ?? "";
      const bar = text.indexOf("|");
      if (text.slice(0, bar) === this.tag) return;
      this.deliver(channel, text.slice(bar + 1));
    });
    client.on("error", (error) => this.lost(client, error));
    client.on("end", () => this.lost(client, new Error("the LISTEN connection ended")));
    try {
      await client.connect();
      for (const channel of CHANNELS) await client.query(`LISTEN ${PREFIX}${channel}`);
      if (this.closed) {
        await client.end();
        return;
      }
      const reconnected = this.retryMs > 100;
      this.client = client;
      this.retryMs = 100;
      // Signals sent while we were not listening are gone: every listener looks again.
      if (reconnected) for (const channel of this.channels()) this.deliver(channel, RESYNC);
    } catch (error) {
      this.lost(client, error as Error);
    }
  }

  private lost(client: pg.Client, error: Error): void {
    if (this.closed || this.retryTimer) return;
    if (this.client === client) this.client = undefined;
    client.end().catch(() => {});
    this.onError(error);
    this.retryMs = Math.min(this.retryMs * 2, 5_000);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, this.retryMs);
  }
}

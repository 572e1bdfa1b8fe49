import type { Logger } from "../../log/logger";
import type { SyncConfig } from "../../sync/config-store";
import type { InboundResult, InboundRow, InboundStore } from "./store";

export type InboundOutcome =
  | { kind: "processed"; executionId: string | null; warning?: string | null }
  | { kind: "error"; error: string; executionId: string | null };

export interface InboundWorkerDeps {
  store: InboundStore;
  config: SyncConfig;
  logger: Logger;
  run: (row: InboundRow) => Promise<InboundOutcome>;
  concurrency?: number;
  idleMs?: number;
}

/**
 * The inbound worker (SPEC 3.4): runs ready rows in ascending sequence per lane, so a failed
 * row blocks only its own lane; rows of a remote whose inbound state is not active wait.
 */
export class InboundWorker {
  private total = 0;
  private pending: InboundResult[] = [];
  private flushScheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;
  private again = false;
  private stopped = false;
  private readonly idle = new Set<() => void>();

  constructor(private readonly deps: InboundWorkerDeps) {}

  start(): void {
    const recovered = this.deps.store.recover();
    if (recovered > 0)
      this.deps.logger.info({ recovered }, "inbound rows from before a restart are ready again");
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.total > 0) await new Promise<void>((resolve) => this.idle.add(resolve));
    this.flush();
  }

  wake = (): void => {
    if (this.stopped) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.ticking = true;
    setImmediate(() => this.tick());
  };

  private tick(): void {
    try {
      const limit = this.deps.concurrency ?? 256;
      for (const remote of this.deps.config.snapshot().remotesById.values()) {
        if (remote.inboundState !== "active") continue;
        const free = limit - this.total;
        if (free <= 0) break;
        for (const row of this.deps.store.claim(remote.id, Date.now(), free)) this.launch(row);
      }
    } catch (error) {
      this.deps.logger.error({ err: error }, "inbound worker tick failed");
    } finally {
      this.ticking = false;
      if (!this.stopped) this.timer = setTimeout(this.wake, this.deps.idleMs ?? 1000);
      if (this.again) {
        this.again = false;
        this.wake();
      }
    }
  }

  private launch(row: InboundRow): void {
    this.total += 1;
    const started = Date.now();
    this.deps
      .run(row)
      .catch((error): InboundOutcome => ({ kind: "error", error: String(error), executionId: null }))
      .then((outcome) => {
        const durationMs = Date.now() - started;
        this.push(
          outcome.kind === "processed"
            ? {
                sequence: row.sequence,
                kind: "processed",
                executionId: outcome.executionId,
                durationMs,
                warning: outcome.warning ?? null,
              }
            : {
                sequence: row.sequence,
                kind: "error",
                error: outcome.error,
                executionId: outcome.executionId,
                durationMs,
              },
        );
      })
      .finally(() => {
        this.total -= 1;
        if (this.total === 0) for (const resolve of this.idle) resolve();
        this.wake();
      });
  }

  private push(result: InboundResult): void {
    this.pending.push(result);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.deps.store.complete(batch, Date.now());
  }
}

import type { Logger } from "../../log/logger";
import { metrics, timedTransaction } from "../../observability/metrics";
import type { SyncConfig } from "../../sync/config-store";
import { WorkerLoop } from "../worker-loop";
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
export class InboundWorker extends WorkerLoop<InboundResult> {
  constructor(private readonly deps: InboundWorkerDeps) {
    super(deps.logger, "inbound");
  }

  start(): void {
    const recovered = this.deps.store.recover();
    if (recovered > 0) this.logger.info({ recovered }, "inbound rows from before a restart are ready again");
    this.wake();
  }

  protected claim(): number {
    const limit = this.deps.concurrency ?? 256;
    for (const remote of this.deps.config.snapshot().remotesById.values()) {
      if (remote.inboundState !== "active") continue;
      const free = limit - this.inFlight;
      if (free <= 0) break;
      for (const row of this.deps.store.claim(remote.id, Date.now(), free)) this.launch(row);
    }
    return this.deps.idleMs ?? 1000;
  }

  protected write(batch: InboundResult[]): void {
    timedTransaction("inbound_complete", () => this.deps.store.complete(batch, Date.now()));
  }

  private launch(row: InboundRow): void {
    const started = Date.now();
    const work = this.deps
      .run(row)
      .catch((error): InboundOutcome => ({ kind: "error", error: String(error), executionId: null }))
      .then((outcome) => {
        const remote =
          this.deps.config.snapshot().remotesById.get(row.remote_system_id)?.name ?? row.remote_system_id;
        metrics().queueRows.labels("inbound", remote, row.process_event, outcome.kind).inc();
        const base = {
          sequence: row.sequence,
          executionId: outcome.executionId,
          durationMs: Date.now() - started,
        };
        this.push(
          outcome.kind === "processed"
            ? { ...base, kind: "processed", warning: outcome.warning ?? null }
            : { ...base, kind: "error", error: outcome.error },
        );
      });
    this.track(work);
  }
}

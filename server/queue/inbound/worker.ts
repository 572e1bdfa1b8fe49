import { storageProblem } from "../../db/storage";
import type { Logger } from "../../log/logger";
import { metrics } from "../../observability/metrics";
import type { RidingWrite } from "../../storage";
import type { SyncConfig } from "../../sync/config-store";
import { nextRetryDelay, type RetryPolicy } from "../retry-policy";
import { WorkerLoop } from "../worker-loop";
import type { InboundResult, InboundRow, InboundStore } from "./store";

/** What running a row's inbound flow came to. `retriable`: a transient failure, worth another try. */
export type InboundOutcome =
  | { kind: "processed"; executionId: string | null; warning?: string | null; keysUsed?: readonly string[] }
  | { kind: "error"; error: string; executionId: string | null; retriable?: boolean; retryAfterMs?: number };

/**
 * Inbound retries (ours): transient failures — a flow or step timeout, a busy or full database,
 * the sender unreachable while its attachments are fetched — are retried with backoff; a data
 * error is not. Inbound failures are local, so this is the instance's policy rather than a
 * remote's (TANDEM_INBOUND_RETRY_TIMES / _INTERVAL_MS).
 */
export const DEFAULT_INBOUND_RETRY: RetryPolicy = {
  retryTimes: 10,
  retryIntervalMs: 1000,
  retryBackoff: "exponential",
};

export interface InboundWorkerDeps {
  store: InboundStore;
  config: SyncConfig;
  logger: Logger;
  run: (row: InboundRow) => Promise<InboundOutcome>;
  /** The flow executions of the runs, written in the outcomes' transaction (ExecutionWriter.take). */
  executions?: { take(queue: "inbound" | "outbound"): RidingWrite | undefined };
  retryPolicy?: RetryPolicy;
  concurrency?: number;
  /** Messages of initial sync jobs in flight (issue 17; default 64): live changes always find room. */
  jobConcurrency?: number;
  /** The safety net: how long it sleeps without a wake-up or a retry due (default 1 s on SQLite, 10 s when shared). */
  idleMs?: number;
  now?: () => number;
}

/**
 * The inbound worker (SPEC 3.4): runs ready rows in ascending sequence per lane, so a failed
 * row blocks only its own lane; rows of a remote whose inbound state is not active wait. A row
 * waiting for its retry stays `ready` and keeps the rest of its lane behind it. Woken by the
 * signal of a commit that made rows ready, in this process or another (accept, reprocess, sweep).
 */
export class InboundWorker extends WorkerLoop<InboundResult> {
  private readonly now: () => number;
  private readonly policy: RetryPolicy;
  private readonly idleMs: number;
  private jobInFlight = 0;

  constructor(private readonly deps: InboundWorkerDeps) {
    super(deps.logger, "inbound", deps.store.shared);
    this.now = deps.now ?? Date.now;
    this.policy = deps.retryPolicy ?? DEFAULT_INBOUND_RETRY;
    this.idleMs = deps.idleMs ?? (deps.store.shared ? 10_000 : 1000);
  }

  /** As the outbound worker: recover all on SQLite, sweep expired leases and keep ours when shared. */
  async start(): Promise<void> {
    const { store } = this.deps;
    this.wakeOn((fn) => store.onReady(fn));
    const recovered = store.shared ? await store.sweep(this.now()) : await store.recover();
    if (recovered > 0) this.logger.info({ recovered }, "inbound rows from before a restart are ready again");
    if (store.shared)
      this.keepLeases(
        store.leaseMs,
        () => store.renew(this.now()),
        () => store.sweep(this.now()),
      );
    this.wake();
  }

  protected async claim(): Promise<number> {
    const limit = this.deps.concurrency ?? 256;
    const now = this.now();
    let soonest = now + this.idleMs;
    for (const remote of this.deps.config.snapshot().remotesById.values()) {
      if (this.stopped) break;
      if (remote.inboundState !== "active") continue;
      const free = limit - this.inFlight;
      if (free <= 0) break;
      const jobFree = Math.max(0, (this.deps.jobConcurrency ?? 16) - this.jobInFlight);
      const rows = await this.deps.store.claim(remote.id, now, free, jobFree);
      for (const row of rows) this.launch(row);
      if (rows.length < free) {
        const due = await this.deps.store.nextDue(remote.id);
        if (due !== null && due > now) soonest = Math.min(soonest, due);
      }
    }
    return soonest - now;
  }

  protected complete(batch: InboundResult[]): Promise<number> {
    // the executions the outcomes name go in the same transaction (server/storage/riding-write.ts)
    return this.deps.store.complete(batch, this.now(), this.deps.executions?.take("inbound"));
  }

  private launch(row: InboundRow): void {
    const started = this.now();
    const job = Boolean(row.initial_sync_job_id);
    if (job) this.jobInFlight += 1;
    const work = this.deps
      .run(row)
      .catch(
        (error): InboundOutcome => ({
          kind: "error",
          error: error instanceof Error ? error.message : String(error),
          executionId: null,
          // The runner failing outside the flow (its execution could not be written: disk full)
          // is as transient as the storage under it.
          retriable: storageProblem(error) !== null,
        }),
      )
      .then((outcome) => {
        const result = this.settle(row, outcome, this.now() - started);
        const remote =
          this.deps.config.snapshot().remotesById.get(row.remote_system_id)?.name ?? row.remote_system_id;
        metrics().queueRows.labels("inbound", remote, row.process_event, result.kind).inc();
        this.push(result);
      })
      .finally(() => {
        if (job) this.jobInFlight -= 1;
      });
    this.track(work);
  }

  /** The inbound retry state machine: processed, retry at a later time, or error (data / retries exhausted). */
  settle(row: InboundRow, outcome: InboundOutcome, durationMs: number): InboundResult {
    const base = { sequence: row.sequence, executionId: outcome.executionId, durationMs };
    if (outcome.kind === "processed")
      return {
        ...base,
        kind: "processed",
        warning: outcome.warning ?? null,
        ...(outcome.keysUsed?.length ? { keysUsed: outcome.keysUsed } : {}),
      };
    if (!outcome.retriable) return { ...base, kind: "error", errorKind: "data", error: outcome.error };
    const delay = nextRetryDelay(this.policy, row.attempts);
    if (delay === null)
      return {
        ...base,
        kind: "error",
        errorKind: "transient",
        error: `${outcome.error} (retries exhausted)`,
      };
    const wait = Math.max(delay, outcome.retryAfterMs ?? 0);
    return { ...base, kind: "retry", error: outcome.error, nextAttemptAt: this.now() + wait };
  }
}

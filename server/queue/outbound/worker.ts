import { storageProblem } from "../../db/storage";
import type { Logger } from "../../log/logger";
import { metrics } from "../../observability/metrics";
import type { RidingWrite } from "../../storage";
import type { SyncConfig } from "../../sync/config-store";
import { nextRetryDelay } from "../retry-policy";
import { WorkerLoop } from "../worker-loop";
import type { OutboundResult, OutboundRow, OutboundStore } from "./store";

/** What running a row's outbound flow came to. */
export type RunOutcome =
  | { kind: "processed"; executionId: string | null; flowVersion: number | null }
  | {
      kind: "connection";
      error: string;
      retryAfterMs?: number;
      executionId: string | null;
      flowVersion: number | null;
    }
  | { kind: "data"; error: string; executionId: string | null; flowVersion: number | null };

export interface OutboundWorkerDeps {
  store: OutboundStore;
  config: SyncConfig;
  logger: Logger;
  run: (row: OutboundRow) => Promise<RunOutcome>;
  /** The flow executions of the runs, written in the outcomes' transaction (ExecutionWriter.take). */
  executions?: { take(queue: "inbound" | "outbound"): RidingWrite | undefined };
  /** Runs the remote's error subflow once when its outbound state turns to error. */
  onRemoteError: (remoteId: string, reason: string) => Promise<void>;
  /** Rows in flight across all remotes, and per remote (fair sharing: a dead remote never starves the rest). */
  concurrency?: number;
  perRemote?: number;
  /** Rows of initial sync jobs in flight per remote (issue 17; default 32). */
  perRemoteJobs?: number;
  /** The safety net: how long it sleeps without a wake-up or a retry due (default 1 s on SQLite, 10 s when shared). */
  idleMs?: number;
  now?: () => number;
}

/**
 * The outbound worker (SPEC 3.2): claims lane heads of active remotes, runs each row's flow,
 * and writes outcomes in batches. Woken by the signal of a commit that made rows ready, in this
 * process or another (enqueue, requeue, reprocess, a lease sweep); otherwise it sleeps until the
 * next retry is due (or `idleMs`, as a safety net). With several processes on one database the
 * claims spread the lanes among them, each lane worked by one process at a time and in order.
 */
export class OutboundWorker extends WorkerLoop<OutboundResult> {
  private readonly perRemoteInFlight = new Map<string, number>();
  /** Rows of initial sync jobs in flight per remote: few, so live changes always find room. */
  private readonly jobInFlight = new Map<string, number>();
  /**
   * Remotes whose last attempt could not connect: they get one row at a time until one goes
   * through (a half-open circuit), so a peer that is down is probed, not flooded, and the
   * first row to use up its retries stops the others.
   */
  private readonly probing = new Set<string>();
  /**
   * Remotes whose retries ran out here, until the snapshot shows them in error: the state is
   * written asynchronously, and meanwhile no other row may be tried (and fail) against them.
   */
  private readonly erroring = new Set<string>();
  private readonly concurrency: number;
  private readonly perRemote: number;
  private readonly perRemoteJobs: number;
  private readonly now: () => number;
  private readonly idleMs: number;

  constructor(private readonly deps: OutboundWorkerDeps) {
    super(deps.logger, "outbound", deps.store.shared);
    this.concurrency = deps.concurrency ?? 512;
    this.perRemote = deps.perRemote ?? 400;
    this.perRemoteJobs = deps.perRemoteJobs ?? 8;
    this.now = deps.now ?? Date.now;
    this.idleMs = deps.idleMs ?? (deps.store.shared ? 10_000 : 1000);
  }

  /**
   * On SQLite (one process) every row left `processing` is from before a restart; with several
   * processes only rows whose lease ran out are, and the leases are kept and swept from here on.
   */
  async start(): Promise<void> {
    const { store } = this.deps;
    this.wakeOn((fn) => store.onReady(fn));
    const recovered = store.shared ? await this.sweep() : await store.recover();
    if (recovered > 0) this.logger.info({ recovered }, "outbound rows from before a restart are ready again");
    if (store.shared)
      this.keepLeases(store.leaseMs, () => store.renew(this.now(), this.remoteIds()), this.sweep);
    this.wake();
  }

  private remoteIds(): string[] {
    return [...this.deps.config.snapshot().remotesById.keys()];
  }

  private sweep = (): Promise<number> => this.deps.store.sweep(this.now(), this.remoteIds());

  protected async claim(): Promise<number> {
    const now = this.now();
    let soonest = now + this.idleMs;
    for (const remote of this.deps.config.snapshot().remotesById.values()) {
      if (this.stopped) break;
      if (this.erroring.has(remote.id)) {
        if (remote.outboundState !== "active") this.erroring.delete(remote.id); // the state landed
        continue;
      }
      if (remote.outboundState !== "active") continue;
      const limit = this.probing.has(remote.id) ? 1 : this.perRemote;
      const free = Math.min(
        limit - (this.perRemoteInFlight.get(remote.id) ?? 0),
        this.concurrency - this.inFlight,
      );
      if (free <= 0) continue;
      const jobFree = Math.max(0, this.perRemoteJobs - (this.jobInFlight.get(remote.id) ?? 0));
      const rows = await this.deps.store.claim(remote.id, now, free, jobFree);
      for (const row of rows) this.launch(row);
      if (rows.length < free) {
        const due = await this.deps.store.nextDue(remote.id);
        if (due !== null && due > now) soonest = Math.min(soonest, due);
      }
    }
    return soonest - now;
  }

  protected complete(batch: OutboundResult[]): Promise<number> {
    // the executions the outcomes name go in the same transaction (server/storage/riding-write.ts)
    return this.deps.store.complete(batch, this.now(), this.deps.executions?.take("outbound"));
  }

  private count(row: OutboundRow, outcome: "processed" | "error" | "retry"): void {
    const remote =
      this.deps.config.snapshot().remotesById.get(row.remote_system_id)?.name ?? row.remote_system_id;
    metrics().queueRows.labels("outbound", remote, row.process_event, outcome).inc();
  }

  private launch(row: OutboundRow): void {
    const remoteId = row.remote_system_id;
    const job = Boolean(row.initial_sync_job_id);
    this.perRemoteInFlight.set(remoteId, (this.perRemoteInFlight.get(remoteId) ?? 0) + 1);
    if (job) this.jobInFlight.set(remoteId, (this.jobInFlight.get(remoteId) ?? 0) + 1);
    const started = this.now();
    const work = this.deps
      .run(row)
      .catch(
        (error): RunOutcome => ({
          // Outside the flow, only storage trouble (busy, full) is worth retrying; anything else is a bug.
          kind: storageProblem(error) ? "connection" : "data",
          error: String(error),
          executionId: null,
          flowVersion: null,
        }),
      )
      .then((outcome) => this.settle(row, outcome, this.now() - started))
      .finally(() => {
        this.perRemoteInFlight.set(remoteId, (this.perRemoteInFlight.get(remoteId) ?? 1) - 1);
        if (job) this.jobInFlight.set(remoteId, (this.jobInFlight.get(remoteId) ?? 1) - 1);
      });
    this.track(work);
  }

  private settle(row: OutboundRow, outcome: RunOutcome, durationMs: number): void {
    const base = {
      id: row.id,
      executionId: outcome.executionId,
      flowVersion: outcome.flowVersion,
      durationMs,
    };
    if (outcome.kind !== "connection") this.probing.delete(row.remote_system_id);
    if (outcome.kind === "processed") {
      this.count(row, "processed");
      this.push({ ...base, kind: "processed" });
      return;
    }
    if (outcome.kind === "data") {
      this.count(row, "error");
      this.push({ ...base, kind: "error", errorKind: "data", error: outcome.error });
      return;
    }
    this.probing.add(row.remote_system_id);
    const remote = this.deps.config.snapshot().remotesById.get(row.remote_system_id);
    const delay = remote ? nextRetryDelay(remote, row.attempts) : null;
    if (delay !== null) {
      const wait = Math.max(delay, outcome.retryAfterMs ?? 0);
      this.count(row, "retry");
      this.push({ ...base, kind: "retry", error: outcome.error, nextAttemptAt: this.now() + wait });
      return;
    }
    this.count(row, "error");
    this.push({
      ...base,
      kind: "error",
      errorKind: "connection",
      error: `${outcome.error} (retries exhausted)`,
    });
    if (remote && remote.outboundState === "active" && !this.erroring.has(remote.id)) {
      this.erroring.add(remote.id);
      const reason = `Retries exhausted for row ${row.id}: ${outcome.error}`;
      // the row's state must be on disk before the remote's state changes
      void this.flush().then(() => {
        this.deps.config.setRemoteState(remote.id, { outbound: "error", message: reason }).catch((error) => {
          this.erroring.delete(remote.id); // not in error after all: its rows go on being tried
          this.deps.logger.error({ err: error, remote: remote.name }, "setting the remote's state failed");
        });
        this.deps.logger.warn({ remote: remote.name }, "remote system outbound state is now error");
        this.deps.onRemoteError(remote.id, reason).catch((error) => {
          this.deps.logger.error({ err: error, remote: remote.name }, "error subflow failed");
        });
      });
    } else void this.flush();
  }
}

import type { StepRecord } from "../../flows";
import { noteStorageError } from "../db/storage";
import {
  journalText,
  packSteps,
  type StoredJournal,
  storeJournal,
  unpackSteps,
} from "../flow-store/execution-journal";
import { JournalSampler, packSummary } from "../flow-store/journal-sampling";
import { observeTransaction } from "../observability/metrics";
import { nodeStatsPlans, StatsBatch } from "../stats/node-stats-writer";
import { get, type Plan, type RidingWrite, run, type Storage, sql } from "../storage";

export interface ExecutionRecord {
  id: string;
  flowId: string;
  version: number;
  status: "completed" | "error" | "cancelled";
  queue: "outbound" | "inbound" | "none";
  queueRowId: number | null;
  runKey: string;
  inputs: unknown;
  outputs: unknown;
  steps: StepRecord[];
  /**
   * The version's nodes in its DAG's order (Dag.order, fixed with the published version), so a
   * summary names each step's node by position; without it a summary spells node ids out.
   */
  nodeOrder?: readonly string[];
  error: string | null;
  /** The node the run failed at (RunError.nodeId); null unless it failed. */
  errorNodeId: string | null;
  startedAt: number;
  durationMs: number;
  /** The run's trace (tracing on), shown and linked by the execution view. */
  traceId?: string | null;
}

const Q = {
  insert: sql(
    `INSERT INTO flow_execution (id, flow_id, version, status, queue, queue_row_id, run_key, inputs, outputs, steps,
       error, error_node_id, started_at, duration_ms, trace_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
  steps: sql<{ steps: StoredJournal | null; inputs: StoredJournal | null; detail: string }>(
    "SELECT steps, inputs, detail FROM flow_execution WHERE id = ?",
  ),
};

/**
 * Flow executions are written one row per run (the step journal as JSON) and many runs per
 * transaction: measured here, a row per step costs more than interpreting the flow. The live
 * canvas's per-node figures are summed from the same batch and written in the same transaction,
 * so they never disagree with the runs and never need the journals read back.
 */
export class ExecutionWriter {
  private pending: ExecutionRecord[] = [];
  /** The batches being committed (PostgreSQL: across awaits), still what a replay reads. */
  private readonly writing = new Set<ExecutionRecord[]>();
  private inFlight: Promise<void> | undefined;
  private scheduled = false;
  /** Backoff after a failed write (disk full): executions wait in memory, then go again. */
  private retryMs = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private lastPurge = 0;

  constructor(
    private readonly storage: Storage,
    private readonly clock: () => number = Date.now,
    private readonly sampler: JournalSampler = new JournalSampler(),
  ) {}

  add(record: ExecutionRecord): void {
    this.pending.push(record);
    this.schedule();
  }

  /**
   * The executions' own write waits two turns of the event loop: a run's queue outcome is pushed
   * in the turn its run ends and written at the next, and takes its queue's executions into its
   * own transaction (`take`). What no outcome took (subflows, test runs) is written here.
   */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => setImmediate(() => void this.flush()));
  }

  /**
   * The waiting executions of `queue`'s runs, for that queue's outcome transaction
   * (server/storage/riding-write.ts): they commit together with the outcomes that name them,
   * written before them. Should the executions' own write (two turns later) have taken them
   * first, that transaction began before the outcome's. A failed transaction keeps them.
   */
  take(queue: "inbound" | "outbound"): RidingWrite | undefined {
    const batch = this.pending.filter((e) => e.queue === queue);
    if (batch.length === 0) return undefined;
    this.pending = this.pending.filter((e) => e.queue !== queue);
    this.writing.add(batch);
    const prepared = this.prepare(batch);
    return {
      plan: () => writeExecutions(prepared.rows, prepared.stats, prepared.purgeBefore),
      settled: (committed) => {
        this.writing.delete(batch);
        if (committed) this.written(prepared.purgeBefore);
        else {
          // kept, as after a failed write of their own: the next flush writes them (with backoff)
          this.pending = [...batch, ...this.pending];
          this.schedule();
        }
      },
    };
  }

  /**
   * Writes the waiting executions in one transaction, one batch at a time; settles when what
   * waited at the call is written (or kept for a retry). Never rejects: a failed write (disk
   * full, database busy) keeps the batch — its journal is what lets a retry replay finished side
   * effects instead of repeating them — and tries again with backoff.
   */
  async flush(): Promise<void> {
    this.scheduled = false;
    while (this.inFlight) await this.inFlight;
    if (this.pending.length === 0 || this.retryTimer) return;
    const batch = this.pending;
    this.pending = [];
    this.writing.add(batch);
    this.inFlight = this.insert(batch)
      .catch((error) => {
        this.pending = [...batch, ...this.pending];
        noteStorageError(error);
        this.retryMs = Math.min(Math.max(this.retryMs * 2, 250), 10_000);
        this.retryTimer = setTimeout(() => {
          this.retryTimer = undefined;
          void this.flush();
        }, this.retryMs);
        this.retryTimer.unref();
      })
      .finally(() => {
        this.writing.delete(batch);
        this.inFlight = undefined;
      });
    await this.inFlight;
  }

  /**
   * A transaction of their own: the executions and the per-node figures they add (server/stats).
   * Never the group commit of the flows' writes: that would land a run's execution a turn after
   * its queue row's outcome, which already names it.
   */
  private async insert(batch: ExecutionRecord[]): Promise<void> {
    const { rows, stats, purgeBefore } = this.prepare(batch);
    const t0 = performance.now();
    await this.storage.transaction(() => writeExecutions(rows, stats, purgeBefore));
    this.written(purgeBefore);
    observeTransaction("executions", t0);
  }

  private written(purgeBefore: number | null): void {
    this.retryMs = 0;
    if (purgeBefore !== null) this.lastPurge = purgeBefore;
  }

  /** The rows of a batch and the per-node figures they add; purgeBefore: now, once an hour. */
  private prepare(batch: ExecutionRecord[]): {
    rows: unknown[][];
    stats: StatsBatch;
    purgeBefore: number | null;
  } {
    const stats = new StatsBatch();
    for (const e of batch) stats.add(e);
    const now = this.clock();
    const purgeBefore = now - this.lastPurge > 3_600_000 ? now : null;
    const dialect = this.storage.dialect;
    const kept = (text: string) => storeJournal(text, dialect);
    const rows = batch.map((e) => {
      const whole = this.sampler.keepWhole(e.flowId, e.status);
      return [
        e.id,
        e.flowId,
        e.version,
        e.status,
        e.queue,
        e.queueRowId,
        // A summary's run key is its queue row's (message id, inbound run key): not kept twice.
        whole || e.queue === "none" ? e.runKey : "",
        whole ? kept(JSON.stringify(e.inputs)) : null,
        whole ? kept(JSON.stringify(e.outputs)) : null,
        whole ? kept(packSteps(e.steps, e.inputs)) : packSummary(e.steps, e.startedAt, e.nodeOrder),
        e.error,
        e.errorNodeId,
        e.startedAt,
        Math.round(e.durationMs),
        e.traceId ?? null,
        whole ? "full" : "summary",
      ];
    });
    return { rows, stats, purgeBefore };
  }

  /**
   * The journal of an earlier run, so a retry or reprocess replays its finished side effects.
   * A summary has nothing to replay (journal-sampling.ts): it is the journal of a completed
   * run, whose row is processed and not run again.
   */
  async steps(executionId: string): Promise<StepRecord[] | undefined> {
    let waiting = this.pending.find((e) => e.id === executionId);
    for (const batch of this.writing) waiting ??= batch.find((e) => e.id === executionId);
    if (waiting) return waiting.steps;
    const row = await this.storage.read(get(Q.steps, executionId));
    if (!row?.steps || row.detail === "summary") return undefined;
    return unpackSteps(row.steps, row.inputs ? JSON.parse(journalText(row.inputs)) : null);
  }
}

function* writeExecutions(rows: unknown[][], stats: StatsBatch, purgeBefore: number | null): Plan<void> {
  yield* nodeStatsPlans.write(stats);
  if (purgeBefore !== null) yield* nodeStatsPlans.purge(purgeBefore);
  for (const row of rows) yield* run(Q.insert, ...row);
}

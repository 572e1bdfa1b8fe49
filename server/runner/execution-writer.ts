import type { StepRecord } from "../../flows";
import type { Db } from "../db/client";
import { noteStorageError } from "../db/storage";
import { packSteps, unpackSteps } from "../flow-store/execution-journal";
import { JournalSampler, packSummary } from "../flow-store/journal-sampling";
import { observeTransaction } from "../observability/metrics";
import { NodeStatsWriter, StatsBatch } from "../stats/node-stats-writer";
import type { Storage } from "../storage";
import { SqliteStorage } from "../storage/sqlite";

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
  error: string | null;
  /** The node the run failed at (RunError.nodeId); null unless it failed. */
  errorNodeId: string | null;
  startedAt: number;
  durationMs: number;
  /** The run's trace (tracing on), shown and linked by the execution view. */
  traceId?: string | null;
}

/**
 * Flow executions are written one row per run (the step journal as JSON) and many runs per
 * transaction: measured here, a row per step costs more than interpreting the flow. The live
 * canvas's per-node figures are summed from the same batch and written in the same transaction,
 * so they never disagree with the runs and never need the journals read back.
 */
export class ExecutionWriter {
  private pending: ExecutionRecord[] = [];
  private scheduled = false;
  /** Backoff after a failed write (disk full): executions wait in memory, then go again. */
  private retryMs = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly sql;
  private readonly stats: NodeStatsWriter;
  private lastPurge = 0;

  constructor(
    private readonly db: Db,
    private readonly clock: () => number = Date.now,
    private readonly sampler: JournalSampler = new JournalSampler(),
    /** The instance's storage; the stats plans run on it inside this writer's SQLite transaction. */
    storage: Storage = new SqliteStorage(db.$client),
  ) {
    const c = db.$client;
    this.stats = new NodeStatsWriter(storage);
    this.sql = {
      insert: c.prepare(
        `INSERT INTO flow_execution (id, flow_id, version, status, queue, queue_row_id, run_key, inputs, outputs, steps,
           error, error_node_id, started_at, duration_ms, trace_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      steps: c.prepare<[string], { steps: string | null; inputs: string | null; detail: string }>(
        "SELECT steps, inputs, detail FROM flow_execution WHERE id = ?",
      ),
    };
  }

  add(record: ExecutionRecord): void {
    this.pending.push(record);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /**
   * Writes the waiting executions in one transaction. Runs from setImmediate, so it must never
   * throw: a failed write (disk full, database busy) keeps the batch — its journal is what lets
   * a retry replay finished side effects instead of repeating them — and tries again with backoff.
   */
  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0 || this.retryTimer) return;
    const batch = this.pending;
    this.pending = [];
    try {
      this.insert(batch);
      this.retryMs = 0;
    } catch (error) {
      this.pending = [...batch, ...this.pending];
      noteStorageError(error);
      this.retryMs = Math.min(Math.max(this.retryMs * 2, 250), 10_000);
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        this.flush();
      }, this.retryMs);
      this.retryTimer.unref();
    }
  }

  /** One transaction: the executions and the per-node figures they add (server/stats). */
  private insert(batch: ExecutionRecord[]): void {
    const stats = new StatsBatch();
    for (const e of batch) stats.add(e);
    const now = this.clock();
    const purge = now - this.lastPurge > 3_600_000;
    const t0 = performance.now();
    this.db.$client.transaction(() => {
      this.stats.write(stats);
      if (purge) this.stats.purge(now);
      for (const e of batch) {
        const whole = this.sampler.keepWhole(e.flowId, e.status);
        this.sql.insert.run(
          e.id,
          e.flowId,
          e.version,
          e.status,
          e.queue,
          e.queueRowId,
          e.runKey,
          whole ? JSON.stringify(e.inputs) : null,
          whole ? JSON.stringify(e.outputs) : null,
          whole ? packSteps(e.steps, e.inputs) : packSummary(e.steps, e.startedAt),
          e.error,
          e.errorNodeId,
          e.startedAt,
          Math.round(e.durationMs),
          e.traceId ?? null,
          whole ? "full" : "summary",
        );
      }
    })();
    if (purge) this.lastPurge = now;
    observeTransaction("executions", t0);
  }

  /**
   * The journal of an earlier run, so a retry or reprocess replays its finished side effects.
   * A summary has nothing to replay (journal-sampling.ts): it is the journal of a completed
   * run, whose row is processed and not run again.
   */
  steps(executionId: string): StepRecord[] | undefined {
    const pending = this.pending.find((e) => e.id === executionId);
    if (pending) return pending.steps;
    const row = this.sql.steps.get(executionId);
    if (!row?.steps || row.detail === "summary") return undefined;
    return unpackSteps(row.steps, row.inputs ? JSON.parse(row.inputs) : null);
  }
}

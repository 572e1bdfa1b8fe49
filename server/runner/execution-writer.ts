import type { StepRecord } from "../../flows";
import type { Db } from "../db/client";
import { NodeStatsWriter, StatsBatch } from "../stats/node-stats-writer";
import { packSteps, unpackSteps } from "./execution-journal";

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
  private readonly sql;
  private readonly stats: NodeStatsWriter;
  private lastPurge = 0;

  constructor(
    private readonly db: Db,
    private readonly clock: () => number = Date.now,
  ) {
    const c = db.$client;
    this.stats = new NodeStatsWriter(db);
    this.sql = {
      insert: c.prepare(
        `INSERT INTO flow_execution (id, flow_id, version, status, queue, queue_row_id, run_key, inputs, outputs, steps,
           error, error_node_id, started_at, duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      steps: c.prepare<[string], { steps: string | null; inputs: string | null }>(
        "SELECT steps, inputs FROM flow_execution WHERE id = ?",
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

  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    const stats = new StatsBatch();
    for (const e of batch) stats.add(e);
    const now = this.clock();
    const purge = now - this.lastPurge > 3_600_000;
    if (purge) this.lastPurge = now;
    this.db.$client.transaction(() => {
      this.stats.write(stats);
      if (purge) this.stats.purge(now);
      for (const e of batch) {
        this.sql.insert.run(
          e.id,
          e.flowId,
          e.version,
          e.status,
          e.queue,
          e.queueRowId,
          e.runKey,
          JSON.stringify(e.inputs),
          JSON.stringify(e.outputs),
          packSteps(e.steps, e.inputs),
          e.error,
          e.errorNodeId,
          e.startedAt,
          Math.round(e.durationMs),
        );
      }
    })();
  }

  /** The journal of an earlier run, so a retry or reprocess replays its finished side effects. */
  steps(executionId: string): StepRecord[] | undefined {
    const pending = this.pending.find((e) => e.id === executionId);
    if (pending) return pending.steps;
    const row = this.sql.steps.get(executionId);
    return row?.steps ? unpackSteps(row.steps, row.inputs ? JSON.parse(row.inputs) : null) : undefined;
  }
}

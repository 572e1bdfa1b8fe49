import type { StepRecord } from "../../flows";
import type { Db } from "../db/client";
import { observeTransaction } from "../observability/metrics";
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
  startedAt: number;
  durationMs: number;
  /** The run's trace (tracing on), shown and linked by the execution view. */
  traceId?: string | null;
}

/**
 * Flow executions are written one row per run (the step journal as JSON) and many runs per
 * transaction: measured here, a row per step costs more than interpreting the flow.
 */
export class ExecutionWriter {
  private pending: ExecutionRecord[] = [];
  private scheduled = false;
  private readonly sql;

  constructor(private readonly db: Db) {
    const c = db.$client;
    this.sql = {
      insert: c.prepare(
        `INSERT INTO flow_execution (id, flow_id, version, status, queue, queue_row_id, run_key, inputs, outputs, steps,
           error, started_at, duration_ms, trace_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
    const t0 = performance.now();
    this.db.$client.transaction(() => {
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
          e.startedAt,
          Math.round(e.durationMs),
          e.traceId ?? null,
        );
      }
    })();
    observeTransaction("executions", t0);
  }

  /** The journal of an earlier run, so a retry or reprocess replays its finished side effects. */
  steps(executionId: string): StepRecord[] | undefined {
    const pending = this.pending.find((e) => e.id === executionId);
    if (pending) return pending.steps;
    const row = this.sql.steps.get(executionId);
    return row?.steps ? unpackSteps(row.steps, row.inputs ? JSON.parse(row.inputs) : null) : undefined;
  }
}

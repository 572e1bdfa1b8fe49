/**
 * Run state that the server persists as it likes (e.g. one row per run with the steps as JSON).
 * The interpreter only appends to an in-memory array: persistence must not dominate a run.
 */
export type RunStatus = "completed" | "error" | "cancelled";

export interface StepError {
  message: string;
  code: string;
  retriable: boolean;
  field?: string;
}

export interface StepRecord {
  nodeId: string;
  type: string;
  /** For Each position, e.g. "2" or "2.0" when nested; absent outside loops. */
  iteration?: string;
  status: "completed" | "error";
  /** The port the step followed. */
  port?: string;
  /** The resolved configuration the step ran with. */
  inputs: unknown;
  outputs: unknown;
  error?: StepError;
  /** Epoch ms. */
  startedAt: number;
  durationMs: number;
  /** True when the outputs were taken from a previous run's journal instead of executing. */
  replayed?: boolean;
}

export interface RunError extends StepError {
  nodeId?: string;
}

export interface RunResult {
  status: RunStatus;
  outputs: Record<string, unknown>;
  steps: StepRecord[];
  error?: RunError;
  durationMs: number;
}

/** The key a step is found under when a later run replays this journal. */
export const stepKey = (nodeId: string, iteration: string | undefined): string =>
  iteration === undefined ? nodeId : `${nodeId}#${iteration}`;

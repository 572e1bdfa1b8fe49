import type { RunError } from "./journal";

// An optional hook into the walk: told when each step starts and ends, and allowed to run the
// step's work inside its own scope. The server implements it with tracing spans; the flow
// language itself knows nothing of any tracing or metrics library.

export interface StepInfo {
  nodeId: string;
  /** Node type id, e.g. "send_payload". */
  type: string;
  /** For-each iteration path ("0", "2.1"), undefined outside loops. */
  iteration: string | undefined;
}

export interface StepOutcome {
  status: "completed" | "error";
  port: string | undefined;
  /** The step's result came from the journal of an earlier run. */
  replayed: boolean;
  error?: RunError;
}

export interface StepObservation {
  /** Runs the step's own work (its node type's execute) in the observer's scope. */
  run<T>(fn: () => T): T;
  /** Called exactly once when the step ends. */
  end(outcome: StepOutcome): void;
}

export interface StepObserver {
  stepStart(step: StepInfo): StepObservation;
}

import type { ExpressionLimits } from "../expressions/limits";
import type { Ports } from "../ports/ports";
import type { StepRecord } from "./journal";
import type { StepObserver } from "./observer";

export interface RunOptions {
  ports: Ports;
  /** Stable id of what is being processed (e.g. the queue row id); idempotency keys derive from it. */
  runKey?: string;
  /** A previous run's steps: finished steps are reused instead of executed again. */
  journal?: readonly StepRecord[];
  /** `side-effects` (default) replays only steps with side effects; `all` replays every finished step. */
  replay?: "side-effects" | "all";
  signal?: AbortSignal;
  stepTimeoutMs?: number;
  flowTimeoutMs?: number;
  maxSteps?: number;
  runAs?: string;
  originRemoteSystem?: string;
  expressionLimits?: Partial<ExpressionLimits>;
  /** Told when each step starts and ends (the server traces steps with it). */
  observer?: StepObserver;
}

export const DEFAULT_STEP_TIMEOUT_MS = 10_000;
export const DEFAULT_FLOW_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_STEPS = 100_000;

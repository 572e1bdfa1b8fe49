import type { RunError, RunStatus } from "./journal";

/** Thrown inside a run to end it with a status that no `error` port may catch. */
export class Stop extends Error {
  constructor(
    readonly status: RunStatus,
    readonly runError: RunError,
  ) {
    super(runError.message);
  }
}

export const flowTimeout = (ms: number, nodeId?: string) =>
  new Stop("error", {
    message: `The flow ran longer than its ${ms} ms limit.`,
    code: "FLOW_TIMEOUT",
    retriable: true,
    ...(nodeId === undefined ? {} : { nodeId }),
  });

export const cancelled = (nodeId?: string) =>
  new Stop("cancelled", {
    message: "The run was cancelled.",
    code: "CANCELLED",
    retriable: false,
    ...(nodeId === undefined ? {} : { nodeId }),
  });

export const stepTimeout = (ms: number, nodeId: string) =>
  new Stop("error", {
    // Slowness is not a data problem: the queue retries it like a connection timeout, so it
    // never follows an `error` port.
    message: `Step ${nodeId} did not finish within ${ms} ms.`,
    code: "STEP_TIMEOUT",
    retriable: true,
    nodeId,
  });

/** A run waiting on an async step; `check` interrupts it when a deadline has passed. */
export interface Watched {
  check(now: number): void;
}

/**
 * One coarse timer watches every run that is waiting on an async step. Arming a setTimeout per
 * step cost more than the step itself on in-memory ports; this costs a Set add/delete per run.
 * Resolution is TICK_MS.
 */
const TICK_MS = 5;
const watched = new Set<Watched>();
let ticker: ReturnType<typeof setInterval> | undefined;

function tick(): void {
  const now = performance.now();
  for (const w of watched) w.check(now);
  if (watched.size === 0 && ticker !== undefined) {
    clearInterval(ticker);
    ticker = undefined;
  }
}

export function watch(w: Watched): void {
  watched.add(w);
  ticker ??= setInterval(tick, TICK_MS);
}

export function unwatch(w: Watched): void {
  watched.delete(w);
}

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

/**
 * Time the process was not running (SIGSTOP, a suspended VM or laptop) is not the flow's: the
 * limits are about work, and a frozen process does none. The ticker sees a freeze as a gap
 * between ticks far longer than TICK_MS; of that gap, the part the process did not spend on the
 * CPU (a frozen process uses none, a busy synchronous step uses all of it) is added to `frozen`.
 * Runs compare their deadlines against time minus the frozen time since they started. Cost: one
 * `process.cpuUsage()` per tick, nothing per step (a step accounts only when a deadline
 * looks passed).
 */
const STALL_MS = 250;
let frozen = 0;
let lastTick = 0;
let lastCpuMs = 0;

const cpuMs = (): number => {
  const u = globalThis.process?.cpuUsage?.();
  return u ? (u.user + u.system) / 1000 : 0;
};

/** Brings the frozen-time total up to `now` (a gap since the last tick counts once). */
function account(now: number): void {
  if (ticker === undefined || lastTick === 0) return;
  const gap = now - lastTick;
  const cpu = cpuMs();
  if (gap > STALL_MS) frozen += Math.max(0, gap - TICK_MS - (cpu - lastCpuMs));
  lastTick = now;
  lastCpuMs = cpu;
}

/**
 * Frozen time so far without accounting a gap in progress: the cheap baseline a run or step takes
 * at its start (a freeze just before it may then be credited to it: slack, never a false timeout).
 */
export function frozenBaseline(): number {
  return frozen;
}

/** Total frozen time observed so far, brought up to `now`: subtract the value at a run's start. */
export function frozenMs(now = performance.now()): number {
  account(now);
  return frozen;
}

function tick(): void {
  const now = performance.now();
  account(now);
  for (const w of watched) w.check(now);
  if (watched.size === 0 && ticker !== undefined) {
    clearInterval(ticker);
    ticker = undefined;
  }
}

export function watch(w: Watched): void {
  watched.add(w);
  if (ticker === undefined) {
    ticker = setInterval(tick, TICK_MS);
    lastTick = performance.now();
    lastCpuMs = cpuMs();
  }
}

export function unwatch(w: Watched): void {
  watched.delete(w);
}

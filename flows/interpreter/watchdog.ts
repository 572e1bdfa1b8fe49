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
 * Runs compare their deadlines against time minus the frozen time since they started.
 *
 * The CPU is read at most every CPU_READ_MS, and at a gap, never on every tick: inside an
 * instance under load `process.cpuUsage()` (getrusage, which sums every thread of the process)
 * took 245-730 µs on average and up to 11 ms a call, measured here, against 1 µs in a bare loop,
 * and the 5 ms ticker called it 200 times a second while flows waited. The CPU used between the
 * last reading and the gap's start is then counted as work done in the gap: at most CPU_READ_MS
 * less credited as frozen, against limits of seconds.
 */
const STALL_MS = 250;
const CPU_READ_MS = 100;
let frozen = 0;
let lastTick = 0;
let lastCpuMs = 0;
let lastCpuReadAt = Number.NEGATIVE_INFINITY;

const cpuMs = (): number => {
  const u = globalThis.process?.cpuUsage?.();
  return u ? (u.user + u.system) / 1000 : 0;
};

/** Takes a new CPU reading when the last one is older than CPU_READ_MS (or `force`). */
function readCpu(now: number, force = false): number {
  if (force || now - lastCpuReadAt >= CPU_READ_MS) {
    lastCpuMs = cpuMs();
    lastCpuReadAt = now;
  }
  return lastCpuMs;
}

/** Brings the frozen-time total up to `now` (a gap since the last tick counts once). */
function account(now: number): void {
  if (ticker === undefined || lastTick === 0) return;
  const gap = now - lastTick;
  if (gap > STALL_MS) {
    const before = lastCpuMs;
    frozen += Math.max(0, gap - TICK_MS - (readCpu(now, true) - before));
  } else readCpu(now);
  lastTick = now;
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
    readCpu(lastTick);
  }
}

export function unwatch(w: Watched): void {
  watched.delete(w);
}

/**
 * The walk itself: one Runner per run, holding step outputs by node index, the journal and the
 * timeout/cancellation state. `runFlow` (run.ts) is the public entry.
 */
import { DEFAULT_EXPRESSION_LIMITS, type ExpressionLimits } from "../expressions/limits";
import { describeError } from "../ports/errors";
import type { NodeResult } from "../registry/types";
import { RunContext } from "./context";
import { type StepRecord, stepKey } from "./journal";
import type { StepObservation, StepOutcome } from "./observer";
import {
  DEFAULT_FLOW_TIMEOUT_MS,
  DEFAULT_MAX_STEPS,
  DEFAULT_STEP_TIMEOUT_MS,
  type RunOptions,
} from "./options";
import type { PreparedDag, PreparedNode } from "./prepare";
import type { RunData } from "./resolve";
import {
  cancelled,
  flowTimeout,
  frozenBaseline,
  frozenMs,
  Stop,
  stepTimeout,
  unwatch,
  type Watched,
  watch,
} from "./watchdog";

const isPromise = (v: unknown): v is Promise<unknown> =>
  v !== null && typeof v === "object" && typeof (v as { then?: unknown }).then === "function";

export class Runner implements RunData, Watched {
  readonly outputs: unknown[];
  readonly vars: Record<string, unknown> = {};
  readonly limits: ExpressionLimits;
  readonly ctx: RunContext;
  /** Rejects when the watchdog or the AbortSignal interrupts the run; made at the first async step. */
  private interruption: Promise<never> | undefined;
  private rejectInterruption: ((stop: Stop) => void) | undefined;
  private finished = false;
  private watched = false;
  private stepDeadline = Number.POSITIVE_INFINITY;
  private stepStart = 0;
  /** Frozen time (see watchdog) at the run's start and at the current step's start. */
  private readonly frozen0: number;
  private stepFrozen0 = 0;
  private readonly stepMs: number;
  private readonly onAbort = () => this.interrupt(cancelled(this.ctx.nodeId || undefined));
  readonly steps: StepRecord[] = [];
  flowOutputs: Record<string, unknown> = {};
  ended = false;
  private count = 0;
  private readonly deadline: number;
  private readonly replay: Map<string, StepRecord> | undefined;
  /** The observer's view of the step in progress (steps run one at a time). */
  private observation: StepObservation | undefined;

  constructor(
    private readonly p: PreparedDag,
    readonly inputs: Record<string, unknown>,
    private readonly o: RunOptions,
    private readonly t0: number,
    private readonly epoch0: number,
  ) {
    this.outputs = new Array(p.nodes.length);
    this.limits = o.expressionLimits
      ? { ...DEFAULT_EXPRESSION_LIMITS, ...o.expressionLimits }
      : DEFAULT_EXPRESSION_LIMITS;
    const runKey = o.runKey ?? globalThis.crypto.randomUUID();
    this.ctx = new RunContext(o.ports, runKey, o.signal, o.runAs, o.originRemoteSystem, inputs, this.vars);
    this.stepMs = o.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
    o.signal?.addEventListener("abort", this.onAbort, { once: true });
    this.deadline = t0 + (o.flowTimeoutMs ?? DEFAULT_FLOW_TIMEOUT_MS);
    this.frozen0 = frozenBaseline();
    if (o.journal && o.journal.length > 0) {
      this.replay = new Map();
      for (const s of o.journal)
        if (s.status === "completed") this.replay.set(stepKey(s.nodeId, s.iteration), s);
    }
  }

  expressionData(): unknown {
    const steps: Record<string, unknown> = {};
    for (const n of this.p.nodes)
      if (this.outputs[n.index] !== undefined) steps[n.id] = this.outputs[n.index];
    return { inputs: this.inputs, steps, vars: this.vars };
  }

  /** Visit nodes in topological order; a node runs once an executed parent activated it. */
  async walk(order: readonly number[], active: Uint8Array, iteration: string | undefined): Promise<void> {
    for (let k = 0; k < order.length; k++) {
      const i = order[k] as number;
      if (active[i] === 0) continue;
      const node = this.p.nodes[i] as PreparedNode;
      const r = this.step(node, iteration);
      let port = typeof r === "string" ? r : await r;
      if (this.ended) return;
      if (node.body !== undefined && port === "each") {
        await this.loop(node, iteration);
        if (this.ended) return;
        port = "done";
      }
      const targets = node.next[port];
      if (targets !== undefined) for (let t = 0; t < targets.length; t++) active[targets[t] as number] = 1;
    }
  }

  private async loop(node: PreparedNode, iteration: string | undefined): Promise<void> {
    const { items } = this.outputs[node.index] as { items: unknown[] };
    const each = node.next.each ?? [];
    const body = node.body ?? [];
    for (let j = 0; j < items.length; j++) {
      const active = new Uint8Array(this.p.nodes.length);
      for (const t of each) active[t] = 1;
      this.outputs[node.index] = { item: items[j], index: j, count: items.length };
      await this.walk(body, active, iteration === undefined ? String(j) : `${iteration}.${j}`);
      if (this.ended) return;
    }
    this.outputs[node.index] = { items, count: items.length };
  }

  private step(node: PreparedNode, iteration: string | undefined): string | Promise<string> {
    const start = performance.now();
    if (this.o.signal?.aborted) throw cancelled(node.id);
    // Only when the deadline looks passed is frozen time (SIGSTOP) looked at and taken off.
    if (start > this.deadline && start - (frozenMs(start) - this.frozen0) > this.deadline)
      throw flowTimeout(this.o.flowTimeoutMs ?? DEFAULT_FLOW_TIMEOUT_MS, node.id);
    if (++this.count > (this.o.maxSteps ?? DEFAULT_MAX_STEPS)) {
      throw new Stop("error", {
        message: "The flow ran too many steps.",
        code: "TOO_MANY_STEPS",
        retriable: false,
      });
    }
    this.ctx.nodeId = node.id;
    this.ctx.iteration = iteration;
    if (this.o.observer !== undefined)
      this.observation = this.o.observer.stepStart({ nodeId: node.id, type: node.type.id, iteration });
    if (this.replay !== undefined) {
      const prev = this.replay.get(stepKey(node.id, iteration));
      if (
        prev !== undefined &&
        prev.type === node.type.id &&
        (this.o.replay === "all" || node.type.sideEffects)
      ) {
        return this.complete(
          node,
          iteration,
          prev.inputs,
          { outputs: prev.outputs as Record<string, unknown>, port: prev.port ?? "next" },
          start,
          true,
        );
      }
    }
    let inputs: unknown;
    try {
      const cfg = node.plan.constant ? node.plan.value : node.plan.fn(this);
      if (isPromise(cfg)) return this.stepAsync(node, iteration, cfg, start);
      inputs = cfg;
      const r = this.execute(node, cfg);
      if (isPromise(r)) return this.settle(node, iteration, () => inputs, r, start);
      return this.complete(node, iteration, inputs, r, start, false);
    } catch (e) {
      return this.fail(node, iteration, inputs, e, start);
    }
  }

  private stepAsync(node: PreparedNode, iteration: string | undefined, cfg: Promise<unknown>, start: number) {
    let inputs: unknown;
    const work = cfg.then((c) => {
      inputs = c;
      return this.execute(node, c);
    });
    return this.settle(node, iteration, () => inputs, work, start);
  }

  /** The node type's own work, inside the observer's scope when there is one. */
  private execute(node: PreparedNode, cfg: unknown): NodeResult | Promise<NodeResult> {
    const o = this.observation;
    const config = cfg as Record<string, unknown>;
    return o === undefined
      ? node.type.execute(this.ctx, config)
      : o.run(() => node.type.execute(this.ctx, config));
  }

  private observed(outcome: StepOutcome): void {
    const o = this.observation;
    if (o === undefined) return;
    this.observation = undefined;
    o.end(outcome);
  }

  private async settle(
    node: PreparedNode,
    iteration: string | undefined,
    inputs: () => unknown,
    work: Promise<NodeResult>,
    start: number,
  ): Promise<string> {
    this.stepStart = start;
    this.stepDeadline = start + this.stepMs;
    this.stepFrozen0 = frozenBaseline();
    if (!this.watched) {
      this.watched = true;
      watch(this);
    }
    let r: NodeResult;
    try {
      r = await Promise.race([work, this.interrupted()]);
    } catch (e) {
      this.stepDeadline = Number.POSITIVE_INFINITY;
      return this.fail(node, iteration, inputs(), e, start);
    }
    this.stepDeadline = Number.POSITIVE_INFINITY;
    return this.complete(node, iteration, inputs(), r, start, false);
  }

  /** Sync-only runs never pay for this promise. */
  private interrupted(): Promise<never> {
    if (this.interruption === undefined) {
      this.interruption = new Promise<never>((_, reject) => {
        this.rejectInterruption = reject;
      });
      this.interruption.catch(() => {});
    }
    return this.interruption;
  }

  private interrupt(stop: Stop): void {
    if (this.finished) return;
    this.finished = true;
    this.rejectInterruption?.(stop);
  }

  /** Called by the watchdog while the run waits on an async step. */
  check(now: number): void {
    if (now <= this.deadline && now <= this.stepDeadline) return;
    const frozen = frozenMs(now);
    if (now - (frozen - this.frozen0) > this.deadline)
      this.interrupt(flowTimeout(this.o.flowTimeoutMs ?? DEFAULT_FLOW_TIMEOUT_MS, this.ctx.nodeId));
    else if (now - (frozen - this.stepFrozen0) > this.stepDeadline) {
      const stop = stepTimeout(this.stepMs, this.ctx.nodeId);
      this.steps.push({
        nodeId: this.ctx.nodeId,
        type: this.p.nodes.find((n) => n.id === this.ctx.nodeId)?.type.id ?? "",
        iteration: this.ctx.iteration,
        status: "error",
        port: undefined,
        inputs: undefined,
        outputs: { error: { message: stop.runError.message, code: stop.runError.code } },
        error: stop.runError,
        startedAt: this.epoch0 + (this.stepStart - this.t0),
        durationMs: now - this.stepStart,
        replayed: false,
      });
      this.observed({ status: "error", port: undefined, replayed: false, error: stop.runError });
      this.interrupt(stop);
    }
  }

  /** End of run: later completions of an interrupted step must not touch the result. */
  finish(): void {
    this.observed({
      status: "error",
      port: undefined,
      replayed: false,
      error: { message: "The run ended during this step", code: "CANCELLED", retriable: false },
    });
    this.finished = true;
    if (this.watched) unwatch(this);
    this.o.signal?.removeEventListener("abort", this.onAbort);
  }

  private complete(
    node: PreparedNode,
    iteration: string | undefined,
    inputs: unknown,
    r: NodeResult,
    start: number,
    replayed: boolean,
  ): string {
    if (this.finished) throw cancelled(node.id);
    const port = r.port ?? "next";
    this.observed({ status: "completed", port, replayed });
    this.outputs[node.index] = r.outputs;
    this.steps.push({
      nodeId: node.id,
      type: node.type.id,
      iteration,
      status: "completed",
      port,
      inputs,
      outputs: r.outputs,
      error: undefined,
      startedAt: this.epoch0 + (start - this.t0),
      durationMs: performance.now() - start,
      replayed,
    });
    if (node.type.role === "end") {
      this.flowOutputs = { ...r.outputs };
      this.ended = true;
    }
    return port;
  }

  /** Route a failure to the `error` port when wired; retriable errors go back to the queue. */
  private fail(
    node: PreparedNode,
    iteration: string | undefined,
    inputs: unknown,
    e: unknown,
    start: number,
  ): string {
    if (e instanceof Stop || this.finished) throw e;
    const err = describeError(e);
    const routed = !err.retriable && node.errorTargets.length > 0;
    this.observed({ status: "error", port: routed ? "error" : undefined, replayed: false, error: err });
    const outputs = { error: { message: err.message, code: err.code } };
    this.outputs[node.index] = outputs;
    this.steps.push({
      nodeId: node.id,
      type: node.type.id,
      iteration,
      status: "error",
      port: routed ? "error" : undefined,
      inputs,
      outputs,
      error: err,
      startedAt: this.epoch0 + (start - this.t0),
      durationMs: performance.now() - start,
      replayed: false,
    });
    if (routed) return "error";
    throw new Stop("error", { ...err, nodeId: node.id });
  }
}

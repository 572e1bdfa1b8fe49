import type { StepObserver } from "../../flows";
import type { Metrics } from "./metrics";
import { context, SpanStatusCode, startSpan, tracingOn, withSpanContext } from "./tracing";

/**
 * The interpreter's step hook as tracing spans: one span per step, a child of the flow's span,
 * active while the node type works, so what the step calls (the wire request, the record write)
 * nests under it. Undefined when tracing is off: the interpreter then pays nothing.
 */
export function tracingStepObserver(flowName: string): StepObserver | undefined {
  if (!tracingOn()) return undefined;
  return {
    stepStart(step) {
      const parent = context.active();
      const span = startSpan(`step ${step.type}`, {
        parent,
        attributes: {
          "tandem.flow": flowName,
          "tandem.node.id": step.nodeId,
          "tandem.node.type": step.type,
          ...(step.iteration !== undefined ? { "tandem.iteration": step.iteration } : {}),
        },
      });
      if (!span) return { run: (fn) => fn(), end: () => undefined };
      const active = withSpanContext(parent, span);
      return {
        run: (fn) => context.with(active, fn),
        end(outcome) {
          if (outcome.port) span.setAttribute("tandem.port", outcome.port);
          if (outcome.replayed) span.setAttribute("tandem.replayed", true);
          if (outcome.status === "error") {
            span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.error?.message ?? "failed" });
            if (outcome.error?.code) span.setAttribute("tandem.error.code", outcome.error.code);
          }
          span.end();
        },
      };
    },
  };
}

type StepChild = ReturnType<Metrics["flowStep"]["labels"]>;
type RunChild = ReturnType<Metrics["flowRun"]["labels"]>;

/**
 * Flow durations into the histograms. Label children are cached: a run costs a few map look-ups
 * and observations, not a label-set hash per step.
 */
export class FlowMetrics {
  private readonly steps = new Map<string, StepChild>();
  private readonly runs = new Map<string, RunChild>();

  constructor(private readonly m: Metrics) {}

  observe(
    flow: string,
    kind: string,
    status: string,
    durationMs: number,
    steps: ReadonlyArray<{ type: string; status: string; durationMs: number; replayed?: boolean }>,
  ): void {
    const runKey = `${flow}\u0000${kind}\u0000${status}`;
    let run = this.runs.get(runKey);
    if (!run) {
      run = this.m.flowRun.labels(flow, kind, status);
      this.runs.set(runKey, run);
    }
    run.observe(durationMs / 1000);
    for (const s of steps) {
      if (s.replayed) continue;
      const key = `${flow}\u0000${s.type}\u0000${s.status}`;
      let child = this.steps.get(key);
      if (!child) {
        child = this.m.flowStep.labels(flow, s.type, s.status);
        this.steps.set(key, child);
      }
      child.observe(s.durationMs / 1000);
    }
  }
}

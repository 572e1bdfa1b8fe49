import { describeError } from "../ports/errors";
import type { Dag } from "../schema/dag";
import type { RunResult } from "./journal";
import type { RunOptions } from "./options";
import { type PreparedDag, prepareDag } from "./prepare";
import { Runner } from "./runner";
import { cancelled, Stop } from "./watchdog";

/** Run a compiled flow. Never throws: failures come back as `status: "error"` with the journal so far. */
export async function runFlow(
  dag: Dag,
  inputs: Record<string, unknown>,
  options: RunOptions,
): Promise<RunResult> {
  const t0 = performance.now();
  const epoch0 = Date.now();
  let prepared: PreparedDag;
  try {
    prepared = prepareDag(dag);
  } catch (e) {
    return {
      status: "error",
      outputs: {},
      steps: [],
      error: describeError(e),
      durationMs: performance.now() - t0,
    };
  }
  const runner = new Runner(prepared, inputs, options, t0, epoch0);
  try {
    if (options.signal?.aborted) throw cancelled();
    const active = new Uint8Array(prepared.nodes.length);
    active[prepared.start] = 1;
    await runner.walk(prepared.order, active, undefined);
    return {
      status: "completed",
      outputs: runner.flowOutputs,
      steps: runner.steps,
      durationMs: performance.now() - t0,
    };
  } catch (e) {
    const error = e instanceof Stop ? e.runError : describeError(e);
    const status = e instanceof Stop ? e.status : "error";
    return {
      status,
      outputs: runner.flowOutputs,
      steps: runner.steps,
      error,
      durationMs: performance.now() - t0,
    };
  } finally {
    runner.finish();
  }
}

import type { Ports } from "../ports/ports";
import type { NodeContext } from "../registry/types";

/** One context object per run; the runner moves it from step to step instead of allocating. */
export class RunContext implements NodeContext {
  nodeId = "";
  iteration: string | undefined = undefined;

  constructor(
    readonly ports: Ports,
    readonly runKey: string,
    readonly signal: AbortSignal | undefined,
    readonly runAs: string | undefined,
    readonly originRemoteSystem: string | undefined,
    readonly flowInputs: Record<string, unknown>,
    readonly vars: Record<string, unknown>,
  ) {}

  /** Built on demand: only side-effecting steps read it. */
  get idempotencyKey(): string {
    return this.iteration === undefined
      ? `${this.runKey}:${this.nodeId}`
      : `${this.runKey}:${this.nodeId}:${this.iteration}`;
  }
}

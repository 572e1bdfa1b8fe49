import type { Plan } from "./plan";

/**
 * Writes waiting in memory that ride in another writer's transaction: one commit instead of two.
 * The flow executions of a turn go in the transaction of the queue outcomes that name them
 * (server/runner/execution-writer.ts): on its own, their transaction was a commit per batch on
 * each side and, at idle, a turn of the event loop the outcome waited behind.
 */
export interface RidingWrite {
  plan(): Plan<void>;
  /** Called exactly once, when the transaction it rode in committed or failed. */
  settled(committed: boolean): void;
}

/** Runs `transaction` with `riding` written first in it, and settles `riding` with the outcome. */
export async function withRidingWrite<T>(
  riding: RidingWrite | undefined,
  transaction: (first: () => Plan<void>) => Promise<T>,
): Promise<T> {
  let committed = false;
  try {
    const value = await transaction(riding ? () => riding.plan() : nothing);
    committed = true;
    return value;
  } finally {
    riding?.settled(committed);
  }
}

function* nothing(): Plan<void> {}

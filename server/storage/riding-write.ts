import type { Plan } from "./plan";
import type { Storage } from "./storage";

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

/** Runs `make`'s plan in a transaction with `riding` written first in it, and settles `riding`. */
export async function transactionWith<T>(
  storage: Storage,
  riding: RidingWrite | undefined,
  make: () => Plan<T>,
): Promise<T> {
  if (!riding) return storage.transaction(make);
  let committed = false;
  try {
    const value = await storage.transaction(function* () {
      yield* riding.plan();
      return yield* make();
    });
    committed = true;
    return value;
  } finally {
    riding.settled(committed);
  }
}

import { randomBytes } from "node:crypto";
import type { RetryAttempt } from "../db/schema";

// Claims of queue rows across the processes of an instance (issue 13). A claimed row is
// `processing` with the claiming process in `claimed_by` and a lease in `lease_until`. Its
// process renews the lease while it holds the row; on PostgreSQL, where several processes share
// the queues, a sweep returns rows whose lease ran out (their process died) to `ready`. The
// receiver dedups by message id, so a row sent again after a sweep is harmless. On SQLite an
// instance is one process: the rows left `processing` at start are all from before a restart.

/**
 * This process, as the holder of the queue rows it claims: 72 random bits (12 characters) tell
 * the few processes of an instance apart as surely as a UUID's 36, and every queue row keeps it.
 */
export const PROCESS_ID = randomBytes(9).toString("base64url");

/** How long a claim holds without renewal. */
export const LEASE_MS = 30_000;

export interface ClaimOptions {
  /** Who claims (default: this process); tests give two claimers in one process different ids. */
  processId?: string;
  leaseMs?: number;
}

/** `retry_history` with one attempt appended (the parameter: the attempt as JSON). */
export const appendAttempt = {
  sqlite: "json_insert(retry_history, '$[#]', json(?))",
  postgres: "(retry_history::jsonb || ?::jsonb)::text",
} as const;

/** Both texts of a statement that appends to retry_history. */
export function withAppend(text: (append: string) => string): { sqlite: string; postgres: string } {
  return { sqlite: text(appendAttempt.sqlite), postgres: text(appendAttempt.postgres) };
}

export function attemptJson(now: number, outcome: RetryAttempt["outcome"], error?: string): string {
  return JSON.stringify({ at: now, outcome, ...(error ? { error } : {}) });
}

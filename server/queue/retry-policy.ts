export interface RetryPolicy {
  retryTimes: number;
  retryIntervalMs: number;
  retryBackoff: "fixed" | "exponential";
}

/**
 * Delay before the next attempt after `attempts` failed tries, or null when the budget is
 * spent. Exponential backoff uses "full jitter" (a random delay up to the exponential cap) so
 * many rows that failed together do not retry in lock-step.
 */
export function nextRetryDelay(policy: RetryPolicy, attempts: number, random = Math.random): number | null {
  if (attempts > policy.retryTimes) return null;
  if (policy.retryBackoff === "fixed") return policy.retryIntervalMs;
  const cap = policy.retryIntervalMs * 2 ** Math.min(attempts - 1, 16);
  return Math.max(policy.retryIntervalMs / 2, Math.round(cap * random()));
}

import { describe, expect, it } from "vitest";
import { nextRetryDelay } from "./retry-policy";

describe("nextRetryDelay", () => {
  it("waits the interval with fixed backoff, and stops after the budget", () => {
    const policy = { retryTimes: 2, retryIntervalMs: 500, retryBackoff: "fixed" as const };
    expect([1, 2, 3].map((a) => nextRetryDelay(policy, a))).toEqual([500, 500, null]);
  });

  it("grows exponentially with full jitter, never below half the interval", () => {
    const policy = { retryTimes: 5, retryIntervalMs: 100, retryBackoff: "exponential" as const };
    expect([1, 2, 3, 4].map((a) => nextRetryDelay(policy, a, () => 1))).toEqual([100, 200, 400, 800]);
    expect(nextRetryDelay(policy, 4, () => 0)).toBe(50);
    expect(nextRetryDelay(policy, 6)).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { SignInThrottle } from "./throttle";

// A fake clock: the throttle's behaviour over minutes, checked in microseconds.
function setup(limits = { userFailures: 10, addressFailures: 50, windowMs: 300_000 }) {
  let now = 1_000_000;
  const throttle = new SignInThrottle(limits, () => now);
  return { throttle, advance: (ms: number) => (now += ms) };
}

const fail = (t: SignInThrottle, userName: string, address: string, times: number) => {
  for (let i = 0; i < times; i++) t.failed({ userName, address });
};

describe("sign-in throttle", () => {
  it("lets 10 failures of one user through, then asks to wait", () => {
    const { throttle } = setup();
    const key = { userName: "admin", address: "203.0.113.7" };
    for (let i = 0; i < 10; i++) {
      expect(throttle.waitMs(key)).toBe(0);
      throttle.failed(key);
    }
    expect(throttle.waitMs(key)).toBeGreaterThan(0);
    // The same user from another address is throttled too (per user name).
    expect(throttle.waitMs({ userName: "admin", address: "198.51.100.1" })).toBeGreaterThan(0);
  });

  it("never locks out for good: the bucket drains, one try per 30 s, then fully", () => {
    const { throttle, advance } = setup();
    const key = { userName: "admin", address: "203.0.113.7" };
    fail(throttle, "admin", "203.0.113.7", 10);
    const wait = throttle.waitMs(key);
    expect(wait).toBe(30_000);
    advance(wait);
    expect(throttle.waitMs(key)).toBe(0);
    advance(300_000);
    for (let i = 0; i < 10; i++) throttle.failed(key);
    expect(throttle.waitMs(key)).toBeGreaterThan(0);
  });

  it("throttles an address that sprays many names", () => {
    const { throttle } = setup();
    for (let i = 0; i < 50; i++) throttle.failed({ userName: `user${i}`, address: "203.0.113.9" });
    expect(throttle.waitMs({ userName: "fresh", address: "203.0.113.9" })).toBeGreaterThan(0);
    expect(throttle.waitMs({ userName: "fresh", address: "203.0.113.10" })).toBe(0);
  });

  it("a known (user, address) pair is not blocked by other names' failures from that address", () => {
    const { throttle } = setup();
    const peer = { userName: "sync.beta", address: "127.0.0.1" };
    throttle.succeeded(peer);
    fail(throttle, "admin", "127.0.0.1", 200);
    expect(throttle.waitMs({ userName: "nobody", address: "127.0.0.1" })).toBeGreaterThan(0);
    expect(throttle.waitMs(peer)).toBe(0);
  });

  it("a known pair is not blocked by guesses at its name from elsewhere, only by its own", () => {
    const { throttle } = setup();
    const peer = { userName: "sync.beta", address: "10.1.1.1" };
    throttle.succeeded(peer);
    fail(throttle, "sync.beta", "203.0.113.50", 30);
    expect(throttle.waitMs({ userName: "sync.beta", address: "203.0.113.51" })).toBeGreaterThan(0);
    expect(throttle.waitMs(peer)).toBe(0);
    fail(throttle, "sync.beta", "10.1.1.1", 10);
    expect(throttle.waitMs(peer)).toBeGreaterThan(0);
  });

  it("successes never count", () => {
    const { throttle } = setup();
    const key = { userName: "admin", address: "127.0.0.1" };
    for (let i = 0; i < 10_000; i++) throttle.succeeded(key);
    expect(throttle.waitMs(key)).toBe(0);
    expect(throttle.waitMs({ userName: "other", address: "127.0.0.1" })).toBe(0);
  });
});

describe("sign-in throttle under sustained hammering", () => {
  it("keeps refusing while attempts continue, and opens within about one window after they stop", () => {
    const { throttle, advance } = setup();
    const key = { userName: "admin", address: "203.0.113.7" };
    for (let i = 0; i < 1000; i++) {
      throttle.failed(key);
      advance(100);
    }
    expect(throttle.waitMs(key)).toBeGreaterThan(0);
    expect(throttle.waitMs(key)).toBeLessThanOrEqual(330_000);
    advance(330_000);
    expect(throttle.waitMs(key)).toBe(0);
  });
});

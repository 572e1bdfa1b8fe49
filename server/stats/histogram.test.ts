import { describe, expect, it } from "vitest";
import { bucketOf, emptyHistogram, merge, pack, quantile, record, unpack, upperBound } from "./histogram";

describe("duration histogram", () => {
  it("puts a duration in the bucket whose upper bound is the next half-power of two above it", () => {
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(0.4)).toBe(0);
    for (const d of [1, 1.3, 2, 3, 10, 250, 9_999]) {
      const b = bucketOf(d);
      expect(upperBound(b)).toBeGreaterThan(d);
      expect(upperBound(b - 1)).toBeLessThanOrEqual(d);
    }
  });

  it("reads p95 within one bucket of the exact value", () => {
    const h = emptyHistogram();
    const samples = Array.from({ length: 1000 }, (_, i) => i + 1); // 1..1000 ms, p95 = 950
    for (const s of samples) record(h, s);
    const p95 = quantile(h, 0.95) ?? 0;
    expect(p95).toBeGreaterThanOrEqual(950);
    expect(p95).toBeLessThan(950 * Math.SQRT2);
    expect(quantile(emptyHistogram(), 0.95)).toBeNull();
  });

  it("takes the tail, not the mean: 94 fast runs and 6 slow ones have a slow p95", () => {
    const h = emptyHistogram();
    for (let i = 0; i < 94; i++) record(h, 2);
    for (let i = 0; i < 6; i++) record(h, 800);
    expect(quantile(h, 0.95)).toBeGreaterThanOrEqual(800);
    expect(quantile(h, 0.5)).toBeLessThan(4);
  });

  it("merges by adding counts and survives its stored form", () => {
    const a = emptyHistogram();
    const b = emptyHistogram();
    record(a, 5);
    record(b, 5);
    record(b, 5000);
    const merged = merge(unpack(pack(a)), unpack(pack(b)));
    expect(merged.reduce((s, c) => s + c, 0)).toBe(3);
    expect(merged[bucketOf(5)]).toBe(2);
    expect(pack(emptyHistogram())).toBe("[]");
  });
});

// A duration sketch that merges by adding counts: fixed log-scale buckets, two per doubling
// (bucket i holds durations below 2^(i/2) ms; bucket 0 is "under 1 ms", the last is open).
// A p95 read from it is at most ~41% high (one bucket's width), which is what a canvas badge
// needs, and rows of any window merge without keeping a single sample.

export const HISTOGRAM_BUCKETS = 48; // up to 2^23.5 ms ≈ 3.3 hours

export type Histogram = number[];

export const emptyHistogram = (): Histogram => new Array<number>(HISTOGRAM_BUCKETS).fill(0);

/** The bucket a duration falls in. */
export function bucketOf(durationMs: number): number {
  if (!(durationMs >= 1)) return 0;
  const i = Math.floor(2 * Math.log2(durationMs)) + 1;
  return Math.min(i, HISTOGRAM_BUCKETS - 1);
}

/** The upper bound of a bucket in ms (what a percentile in it is reported as). */
export function upperBound(bucket: number): number {
  return 2 ** (bucket / 2);
}

export function record(h: Histogram, durationMs: number): void {
  const i = bucketOf(durationMs);
  h[i] = (h[i] ?? 0) + 1;
}

export function merge(into: Histogram, from: readonly number[]): Histogram {
  for (let i = 0; i < from.length && i < HISTOGRAM_BUCKETS; i++) into[i] = (into[i] ?? 0) + (from[i] ?? 0);
  return into;
}

/** The q-quantile (0..1) in ms, rounded to 0.1 ms; null when the histogram is empty. */
export function quantile(h: readonly number[], q: number): number | null {
  let total = 0;
  for (const c of h) total += c;
  if (total === 0) return null;
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (let i = 0; i < h.length; i++) {
    seen += h[i] ?? 0;
    if (seen >= rank) return Math.round(upperBound(i) * 10) / 10;
  }
  return Math.round(upperBound(h.length - 1) * 10) / 10;
}

/** Stored form: trailing zero buckets dropped (most runs are fast, so most rows are short). */
export function pack(h: readonly number[]): string {
  let end = h.length;
  while (end > 0 && h[end - 1] === 0) end--;
  return JSON.stringify(h.slice(0, end));
}

export function unpack(text: string): Histogram {
  return merge(emptyHistogram(), JSON.parse(text) as number[]);
}

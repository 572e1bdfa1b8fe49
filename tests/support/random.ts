// A small seeded generator for fuzz tests, so a failing run replays exactly with its seed.

export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  int(min: number, maxInclusive: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  string(maxLength: number, alphabet?: string): string;
  /** Bytes from the same sequence (crypto randomness would make a seed replay differ). */
  bytes(length: number): Buffer;
}

/** The seed from FUZZ_SEED when set (to replay a run), otherwise a fresh one. */
export function fuzzSeed(env: NodeJS.ProcessEnv = process.env): number {
  const given = env.FUZZ_SEED;
  if (given !== undefined && /^\d+$/.test(given)) return Number(given) >>> 0;
  return Math.floor(Math.random() * 2 ** 32) >>> 0;
}

/** mulberry32: fast, good enough for test data, and the same sequence for the same seed. */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw new Error("pick from an empty list");
    return items[int(0, items.length - 1)] as T;
  };
  const defaultAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.^=!<>%,'\" ";
  return {
    next,
    int,
    pick,
    chance: (p) => next() < p,
    bytes: (length) => Buffer.from(Array.from({ length }, () => Math.floor(next() * 256))),
    string: (maxLength, alphabet = defaultAlphabet) => {
      const length = int(0, maxLength);
      let out = "";
      for (let i = 0; i < length; i++) out += alphabet[int(0, alphabet.length - 1)];
      return out;
    },
  };
}

/** Strings that have broken parsers, encoders and databases elsewhere. */
export const hostileStrings: readonly string[] = [
  "",
  " ",
  "\u0000",
  "\u0000abc",
  "a\u0000b",
  "\ud800",
  "\udfff\ud800",
  "😀".repeat(50),
  "\u202eevil",
  "Ω≈ç√∫˜µ≤≥÷",
  "' OR '1'='1",
  "'; DROP TABLE record; --",
  '" OR ""="',
  "1; SELECT * FROM user_credential",
  "%00",
  "%",
  "%%",
  "%25",
  "%zz",
  "%u0000",
  "\\",
  "\\\\'",
  "../../../../etc/passwd",
  "..%2f..%2fetc%2fpasswd",
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  "\u0024{7*7}",
  "{{7*7}}",
  "$(id)",
  "`id`",
  "__proto__",
  "constructor",
  "prototype",
  "hasOwnProperty",
  "toString",
  "NaN",
  "Infinity",
  "-1",
  "1e309",
  "9007199254740993",
  "0x41",
  "null",
  "undefined",
  "true",
  "[]",
  "{}",
  "^",
  "^^^",
  "^OR",
  "^NQ",
  "ORDERBY",
  "ORDERBYDESC",
  "=",
  "!=",
  "LIKE",
  "IN",
  "ISEMPTY",
  "json_extract(data, '$.user_name')",
  "$.user_name",
  "*",
  "\r\nSet-Cookie: x=y",
  "a".repeat(5000),
];

/**
 * encodeURIComponent that also takes lone surrogates (hostile strings have them): they become
 * the percent-encoded bytes of an invalid UTF-8 sequence, which is what a hostile client sends.
 */
export function percentEncode(text: string): string {
  return text
    .split(/([\ud800-\udfff])/)
    .map((part) =>
      part.length === 1 && /[\ud800-\udfff]/.test(part) ? "%ED%A0%80" : encodeURIComponent(part),
    )
    .join("");
}

/** A hostile string cut down to what an HTTP client can put in a header value. */
export function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, "").slice(0, 4000);
}

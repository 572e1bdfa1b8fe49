// Sign-in throttling (issue 12): failed attempts fill leaky buckets that drain continuously, so
// a burst of wrong passwords slows further tries to a trickle and nobody is ever locked out for
// good. The decision depends only on who and where from, never on the password, so a throttled
// answer reveals nothing about whether a guess was right.

export interface ThrottleLimits {
  /** Failures per user name (and per user name from one address) within the window. */
  userFailures: number;
  /** Failures per client address within the window. */
  addressFailures: number;
  windowMs: number;
}

export const defaultThrottleLimits: ThrottleLimits = {
  userFailures: 10,
  addressFailures: 50,
  windowMs: 5 * 60_000,
};

const maxKeys = 100_000;

/** Leaky buckets: each failure adds 1; the level drains by `limit` per window. */
class FailureBuckets {
  private readonly levels = new Map<string, { level: number; at: number }>();
  private readonly drainPerMs: number;

  constructor(
    private readonly limit: number,
    windowMs: number,
    private readonly clock: () => number,
  ) {
    this.drainPerMs = limit / windowMs;
  }

  private level(key: string): number {
    const entry = this.levels.get(key);
    if (!entry) return 0;
    return Math.max(0, entry.level - (this.clock() - entry.at) * this.drainPerMs);
  }

  add(key: string): void {
    // Capped at twice the limit: hammering on keeps the door shut, but never for much longer
    // than one window after it stops.
    const level = Math.min(this.level(key) + 1, 2 * this.limit);
    this.levels.delete(key); // re-insert: Map order is then oldest-touched first
    this.levels.set(key, { level, at: this.clock() });
    if (this.levels.size > maxKeys) this.evict();
  }

  /** 0 when one more attempt may run; otherwise ms until it may. */
  waitMs(key: string): number {
    const over = this.level(key) - (this.limit - 1);
    return over > 0 ? Math.ceil(over / this.drainPerMs) : 0;
  }

  private evict(): void {
    for (const key of this.levels.keys()) {
      if (this.levels.size <= maxKeys / 2) break;
      this.levels.delete(key);
    }
  }
}

export interface AttemptKey {
  userName: string;
  address: string;
}

/**
 * Per user name, per address, and per (user, address) pair. A pair that signed in successfully
 * before is "known": only its own failures count against it, so the sync peer (or a colleague
 * behind the same proxy) keeps working while someone else guesses other names from the same
 * address, or guesses this name from elsewhere.
 */
export class SignInThrottle {
  private readonly users: FailureBuckets;
  private readonly addresses: FailureBuckets;
  private readonly pairs: FailureBuckets;
  private readonly known = new Map<string, number>();

  constructor(
    readonly limits: ThrottleLimits = defaultThrottleLimits,
    private readonly clock: () => number = Date.now,
  ) {
    this.users = new FailureBuckets(limits.userFailures, limits.windowMs, clock);
    this.addresses = new FailureBuckets(limits.addressFailures, limits.windowMs, clock);
    this.pairs = new FailureBuckets(limits.userFailures, limits.windowMs, clock);
  }

  /** 0 when the attempt may be checked; otherwise the ms to wait. Call before hashing. */
  waitMs(key: AttemptKey): number {
    const pair = pairKey(key);
    if (this.isKnown(pair)) return this.pairs.waitMs(pair);
    return Math.max(
      this.users.waitMs(key.userName),
      this.addresses.waitMs(key.address),
      this.pairs.waitMs(pair),
    );
  }

  /**
   * A wrong password, or an attempt refused while throttled (so that hammering on keeps the
   * wait from running out; the cap bounds it).
   */
  failed(key: AttemptKey): void {
    this.users.add(key.userName);
    this.addresses.add(key.address);
    this.pairs.add(pairKey(key));
  }

  /** Successes never count; they mark the pair as known for a day. */
  succeeded(key: AttemptKey): void {
    const pair = pairKey(key);
    this.known.delete(pair);
    this.known.set(pair, this.clock() + 86_400_000);
    if (this.known.size > maxKeys) {
      for (const k of this.known.keys()) {
        if (this.known.size <= maxKeys / 2) break;
        this.known.delete(k);
      }
    }
  }

  private isKnown(pair: string): boolean {
    const until = this.known.get(pair);
    return until !== undefined && until > this.clock();
  }
}

const pairKey = (key: AttemptKey) => `${key.userName}\u0000${key.address}`;

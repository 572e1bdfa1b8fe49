import { noteStorageError } from "../db/storage";
import type { Logger } from "../log/logger";
import { observeTransaction } from "../observability/metrics";

/**
 * What both queue workers share: coalesced wake-ups (many commits, one claim), rows in flight,
 * outcomes gathered and written in one transaction per turn of the event loop, the leases of
 * the rows this process holds (PostgreSQL), and a stop that lets the rows in flight finish and
 * writes their outcomes before returning.
 */
export abstract class WorkerLoop<Result> {
  /** Rows being processed right now. */
  protected inFlight = 0;
  protected stopped = false;
  private pending: Result[] = [];
  private flushScheduled = false;
  private timer: NodeJS.Timeout | undefined;
  /** The tick scheduled or running, and whether it has begun claiming. */
  private ticking: Promise<void> | undefined;
  private claiming = false;
  private again = false;
  private readonly idle = new Set<() => void>();
  /** The outcome write in progress: the next one waits for it (their rows may be the same lanes). */
  private writing: Promise<void> | undefined;
  /** Delay before writing outcomes again after a failed write (storage full or busy). */
  private writeRetryMs = 0;
  private writeRetry: NodeJS.Timeout | undefined;
  private readonly leaseTimers: NodeJS.Timeout[] = [];
  private readonly unlisten: Array<() => void> = [];

  constructor(
    protected readonly logger: Logger,
    private readonly name: string,
    /**
     * Several processes share the queue (PostgreSQL): a claim may run while an outcome write is
     * in flight and miss the lane it opens, so the loop looks again after each write. On SQLite
     * the write commits before any claim runs, and a look after it would only repeat a claim.
     */
    private readonly lookAfterWrites = false,
  ) {}

  /** Claims and launches what it can; resolves to how many ms until it should look again. */
  protected abstract claim(): Promise<number>;

  /** Writes a batch of outcomes (one transaction) for the rows this process holds; how many landed. */
  protected abstract complete(batch: Result[]): Promise<number>;

  /** Writes a batch of outcomes, timed; outcomes of rows another process claimed since are dropped. */
  private async write(batch: Result[]): Promise<void> {
    const t0 = performance.now();
    try {
      const written = await this.complete(batch);
      if (written < batch.length)
        this.logger.warn(
          { rows: batch.length - written },
          `${this.name} outcomes dropped: their leases ran out and the rows were claimed again`,
        );
    } finally {
      observeTransaction(`${this.name}_complete`, t0);
    }
  }

  wake = (): void => {
    if (this.stopped) return;
    if (this.ticking) {
      // a tick that has not begun sees this commit anyway; one that is claiming may not
      if (this.claiming) this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.ticking = new Promise<void>((resolve) =>
      setImmediate(() => {
        this.claiming = true;
        this.tick().finally(resolve);
      }),
    );
  };

  /** Wakes on every signal of `subscribe` (rows ready in this process or another) until stopped. */
  protected wakeOn(subscribe: (fn: () => void) => () => void): void {
    this.unlisten.push(subscribe(() => this.wake()));
  }

  /**
   * Keeps the leases of the rows this process holds (renewed every third of the lease) and returns
   * the rows of processes that died to `ready` (swept every half lease), for queues shared by
   * several processes.
   */
  protected keepLeases(leaseMs: number, renew: () => Promise<unknown>, sweep: () => Promise<unknown>): void {
    if (this.stopped) return; // stopped while starting
    const every = (ms: number, what: string, fn: () => Promise<unknown>) => {
      let running = false;
      const timer = setInterval(() => {
        if (running || this.stopped) return;
        running = true;
        fn()
          .catch((error) => {
            noteStorageError(error);
            this.logger.error({ err: error }, `${this.name} worker could not ${what}`);
          })
          .finally(() => {
            running = false;
          });
      }, ms);
      timer.unref();
      this.leaseTimers.push(timer);
    };
    every(Math.max(10, Math.floor(leaseMs / 3)), "renew its leases", renew);
    every(Math.max(10, Math.floor(leaseMs / 2)), "sweep expired leases", sweep);
  }

  /** Finishes the rows in flight (their outcomes are written), then stops claiming. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    for (const off of this.unlisten.splice(0)) off();
    await this.ticking; // a claim in progress launches its rows first
    if (this.inFlight > 0) await new Promise<void>((resolve) => this.idle.add(resolve));
    await this.flush();
    // the leases are kept until the outcomes are written
    for (const timer of this.leaseTimers.splice(0)) clearInterval(timer);
  }

  private async tick(): Promise<void> {
    let delay = 1000;
    try {
      if (this.stopped) return;
      delay = await this.claim();
    } catch (error) {
      // A claim that cannot write (disk full) rolls back: its rows stay `ready` for the next tick.
      noteStorageError(error);
      this.logger.error({ err: error }, `${this.name} worker tick failed`);
    } finally {
      this.ticking = undefined;
      this.claiming = false;
      if (!this.stopped) this.timer = setTimeout(this.wake, Math.max(5, delay));
      if (this.again) {
        this.again = false;
        this.wake();
      }
    }
  }

  /** Counts one row's work in flight; when it settles, the loop looks again (a lane may have opened). */
  protected track(work: Promise<void>): void {
    this.inFlight += 1;
    work
      .catch((error) => this.logger.error({ err: error }, `${this.name} row failed unexpectedly`))
      .finally(() => {
        this.inFlight -= 1;
        if (this.inFlight === 0) for (const resolve of this.idle) resolve();
        this.wake();
      });
  }

  /** Queues an outcome; outcomes of one turn of the event loop share one transaction. */
  protected push(result: Result): void {
    this.pending.push(result);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => void this.flush());
    }
  }

  /**
   * Writes the queued outcomes now. When the write fails (disk full, database busy) the outcomes
   * are kept and written again later with backoff: the rows' work is done and must not run twice,
   * and until the write lands the rows stay `processing` on disk, which a restart (or, with
   * several processes, the lease sweep) turns back to `ready`. The loop never spins on a failing
   * write. Never rejects.
   */
  protected flush(): Promise<void> {
    this.flushScheduled = false;
    if (this.writing) return this.writing.then(() => this.flush());
    if (this.pending.length === 0 || this.writeRetry) return Promise.resolve();
    const batch = this.pending;
    this.pending = [];
    const writing = this.write(batch)
      .then(
        () => {
          this.writeRetryMs = 0;
          if (this.lookAfterWrites) this.wake(); // lanes may have opened (see the constructor)
        },
        (error: unknown) => {
          this.pending = [...batch, ...this.pending];
          noteStorageError(error);
          this.writeRetryMs = Math.min(Math.max(this.writeRetryMs * 2, 250), 10_000);
          this.logger.error(
            { err: error, rows: batch.length, retryInMs: this.writeRetryMs },
            `${this.name} worker could not write outcomes; keeping them to write again`,
          );
          this.writeRetry = setTimeout(() => {
            this.writeRetry = undefined;
            void this.flush();
            this.wake();
          }, this.writeRetryMs);
          this.writeRetry.unref();
        },
      )
      .finally(() => {
        if (this.writing === writing) this.writing = undefined;
      });
    this.writing = writing;
    return writing;
  }
}

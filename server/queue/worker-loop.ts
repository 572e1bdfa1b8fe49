import { noteStorageError } from "../db/storage";
import type { Logger } from "../log/logger";

/**
 * What both queue workers share: coalesced wake-ups (many commits, one claim), rows in flight,
 * outcomes gathered and written in one transaction per turn of the event loop, and a stop that
 * lets the rows in flight finish and writes their outcomes before returning.
 */
export abstract class WorkerLoop<Result> {
  /** Rows being processed right now. */
  protected inFlight = 0;
  protected stopped = false;
  private pending: Result[] = [];
  private flushScheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;
  private again = false;
  private readonly idle = new Set<() => void>();
  /** Delay before writing outcomes again after a failed write (storage full or busy). */
  private writeRetryMs = 0;
  private writeRetry: NodeJS.Timeout | undefined;

  constructor(
    protected readonly logger: Logger,
    private readonly name: string,
  ) {}

  /** Claims and launches what it can; returns how many ms until it should look again. */
  protected abstract claim(): number;

  /** Writes a batch of outcomes (one transaction). */
  protected abstract write(batch: Result[]): void;

  wake = (): void => {
    if (this.stopped) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.ticking = true;
    setImmediate(() => this.tick());
  };

  /** Finishes the rows in flight (their outcomes are written), then stops claiming. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.inFlight > 0) await new Promise<void>((resolve) => this.idle.add(resolve));
    this.flush();
  }

  private tick(): void {
    let delay = 1000;
    try {
      delay = this.claim();
    } catch (error) {
      // A claim that cannot write (disk full) rolls back: its rows stay `ready` for the next tick.
      noteStorageError(error);
      this.logger.error({ err: error }, `${this.name} worker tick failed`);
    } finally {
      this.ticking = false;
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
      setImmediate(() => this.flush());
    }
  }

  /**
   * Writes the queued outcomes now. When the write fails (disk full, database busy) the outcomes
   * are kept and written again later with backoff: the rows' work is done and must not run twice,
   * and until the write lands the rows stay `processing` on disk, which a restart turns back to
   * `ready`. The loop never spins on a failing write.
   */
  protected flush(): void {
    this.flushScheduled = false;
    if (this.pending.length === 0 || this.writeRetry) return;
    const batch = this.pending;
    this.pending = [];
    try {
      this.write(batch);
      this.writeRetryMs = 0;
    } catch (error) {
      this.pending = [...batch, ...this.pending];
      noteStorageError(error);
      this.writeRetryMs = Math.min(Math.max(this.writeRetryMs * 2, 250), 10_000);
      this.logger.error(
        { err: error, rows: batch.length, retryInMs: this.writeRetryMs },
        `${this.name} worker could not write outcomes; keeping them to write again`,
      );
      this.writeRetry = setTimeout(() => {
        this.writeRetry = undefined;
        this.flush();
        this.wake();
      }, this.writeRetryMs);
      this.writeRetry.unref();
    }
  }
}

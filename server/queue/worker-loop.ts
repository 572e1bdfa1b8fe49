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

  /** Writes the queued outcomes now. */
  protected flush(): void {
    this.flushScheduled = false;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.write(batch);
  }
}

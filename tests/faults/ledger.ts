// What a trial wrote, and what it was told. A write answered 200/201 is acknowledged and must
// survive and arrive; a write whose connection died is unknown (it may or may not have
// committed: if it did, it must arrive like any other); a refusal (4xx/5xx) must leave no trace.

export type WriteOutcome = "acked" | "unknown" | "refused";

export interface CreateWrite {
  tag: string;
  node: string;
  outcome: WriteOutcome;
  sysId?: string;
}

export interface FieldWrite {
  /** The record's tag (its short_description). */
  tag: string;
  node: string;
  field: string;
  value: string;
  outcome: WriteOutcome;
  /** Order in which the trial issued it (a sequence number, not a clock). */
  order: number;
}

export class Ledger {
  readonly creates = new Map<string, CreateWrite>();
  readonly fieldWrites: FieldWrite[] = [];
  private order = 0;
  /** Writes that are checked by convergence only (both sides editing at once). */
  otherWrites = 0;

  constructor(
    /** Every record the trial creates has a short_description starting with this. */
    readonly prefix: string,
  ) {}

  tagFor(i: number): string {
    return `${this.prefix}${String(i).padStart(5, "0")}`;
  }

  create(write: CreateWrite): void {
    this.creates.set(write.tag, write);
  }

  field(write: Omit<FieldWrite, "order">): void {
    this.fieldWrites.push({ ...write, order: this.order++ });
  }

  acked(): CreateWrite[] {
    return [...this.creates.values()].filter((c) => c.outcome === "acked");
  }

  /**
   * The values a field may end with: the last acknowledged write, or any unknown write issued after
   * it (it may have committed). Concurrent writes from two nodes leave any of them as a valid end,
   * as long as both sides agree (the checker compares the sides separately).
   */
  finalCandidates(tag: string, field: string): Set<string> | null {
    const writes = this.fieldWrites.filter(
      (w) => w.tag === tag && w.field === field && w.outcome !== "refused",
    );
    if (writes.length === 0) return null;
    const lastAcked = writes.filter((w) => w.outcome === "acked").at(-1);
    const after = writes.filter((w) => !lastAcked || w.order > lastAcked.order);
    return new Set([...(lastAcked ? [lastAcked.value] : []), ...after.map((w) => w.value)]);
  }

  summary(): { sent: number; acked: number; unknown: number; refused: number } {
    const all = [...this.creates.values()];
    return {
      sent: all.length + this.fieldWrites.length + this.otherWrites,
      acked: all.filter((c) => c.outcome === "acked").length,
      unknown: all.filter((c) => c.outcome === "unknown").length,
      refused: all.filter((c) => c.outcome === "refused").length,
    };
  }
}

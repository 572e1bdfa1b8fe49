import { NotFoundError } from "../ports/errors";
import type { Correlation, CorrelationState, CorrelationsPort } from "../ports/ports";

let counter = 0;
const newId = (prefix: string) => `${prefix}${(++counter).toString(16).padStart(8, "0")}`;

/** One correlation per (local record, remote system); look-ups see only active ones (SPEC 3.5). */
export class MemoryCorrelations implements CorrelationsPort {
  readonly all: Correlation[] = [];

  constructor(private readonly idPrefix = "corr") {}

  async lookupByLocalRecord(remoteSystem: string, table: string, sysId: string): Promise<Correlation | null> {
    return this.find((c) => c.remoteSystem === remoteSystem && c.table === table && c.sysId === sysId);
  }

  async lookupByLocalId(remoteSystem: string, localCorrelationId: string): Promise<Correlation | null> {
    return this.find((c) => c.remoteSystem === remoteSystem && c.localCorrelationId === localCorrelationId);
  }

  async lookupByRemoteId(remoteSystem: string, remoteCorrelationId: string): Promise<Correlation | null> {
    return this.find((c) => c.remoteSystem === remoteSystem && c.remoteCorrelationId === remoteCorrelationId);
  }

  async create(input: {
    remoteSystem: string;
    table: string;
    sysId: string;
    localCorrelationId?: string;
    remoteCorrelationId?: string | null;
  }): Promise<Correlation> {
    const existing = await this.lookupByLocalRecord(input.remoteSystem, input.table, input.sysId);
    if (existing) {
      // Creating twice is a no-op (replays and races), but we learn the remote id if new.
      if (!existing.remoteCorrelationId && input.remoteCorrelationId)
        existing.remoteCorrelationId = input.remoteCorrelationId;
      return { ...existing };
    }
    const c: Correlation = {
      localCorrelationId: input.localCorrelationId ?? newId(this.idPrefix),
      remoteCorrelationId: input.remoteCorrelationId ?? null,
      remoteSystem: input.remoteSystem,
      table: input.table,
      sysId: input.sysId,
      state: "active",
    };
    this.all.push(c);
    return { ...c };
  }

  async updateState(
    remoteSystem: string,
    localCorrelationId: string,
    state: CorrelationState,
  ): Promise<Correlation> {
    const c = this.get(remoteSystem, localCorrelationId);
    c.state = state;
    return { ...c };
  }

  async setRemoteId(
    remoteSystem: string,
    localCorrelationId: string,
    remoteCorrelationId: string,
  ): Promise<Correlation> {
    const c = this.get(remoteSystem, localCorrelationId);
    c.remoteCorrelationId = remoteCorrelationId;
    return { ...c };
  }

  private find(pred: (c: Correlation) => boolean): Correlation | null {
    for (const c of this.all) if (c.state === "active" && pred(c)) return { ...c };
    return null;
  }

  private get(remoteSystem: string, localCorrelationId: string): Correlation {
    const c = this.all.find(
      (x) => x.remoteSystem === remoteSystem && x.localCorrelationId === localCorrelationId,
    );
    if (!c) throw new NotFoundError(`No correlation ${localCorrelationId} with ${remoteSystem}.`);
    return c;
  }
}

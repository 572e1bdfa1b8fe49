import type { Correlation, CorrelationState } from "../../flows/ports/ports";
import { all, get, type Plan, run, type Storage, sql } from "../storage";
import { RecordError } from "../util/errors";
import { newSysId } from "../util/ids";

interface CorrelationRow {
  local_id: string;
  remote_id: string | null;
  remote_system_id: string;
  table_name: string;
  record_sys_id: string;
  state: CorrelationState;
  stale_fields_skipped: number;
  created_at: number;
  last_synced_at: number | null;
}

export type CorrelationView = Correlation & {
  staleFieldsSkipped: number;
  createdAt: number;
  lastSyncedAt: number | null;
};

function toCorrelation(row: CorrelationRow): CorrelationView {
  return {
    localCorrelationId: row.local_id,
    remoteCorrelationId: row.remote_id,
    remoteSystem: row.remote_system_id,
    table: row.table_name,
    sysId: row.record_sys_id,
    state: row.state,
    staleFieldsSkipped: row.stale_fields_skipped,
    createdAt: row.created_at,
    lastSyncedAt: row.last_synced_at,
  };
}

const Q = {
  byRecord: sql<CorrelationRow>(
    `SELECT * FROM correlation WHERE remote_system_id = ? AND table_name = ? AND record_sys_id = ? AND state = 'active'
     LIMIT 1`,
  ),
  byLocal: sql<CorrelationRow>(
    "SELECT * FROM correlation WHERE remote_system_id = ? AND local_id = ? AND state = 'active'",
  ),
  byLocalAny: sql<CorrelationRow>("SELECT * FROM correlation WHERE local_id = ?"),
  byRemote: sql<CorrelationRow>(
    "SELECT * FROM correlation WHERE remote_system_id = ? AND remote_id = ? AND state = 'active' LIMIT 1",
  ),
  ofRecord: sql<CorrelationRow>(
    // local_id breaks ties: PostgreSQL promises no order among equal created_at
    "SELECT * FROM correlation WHERE table_name = ? AND record_sys_id = ? ORDER BY created_at, local_id",
  ),
  insert: sql(
    `INSERT INTO correlation (local_id, remote_id, remote_system_id, table_name, record_sys_id, state, created_at,
       last_synced_at) VALUES (?, ?, ?, ?, ?, 'active', ?, ?)`,
  ),
  setState: sql("UPDATE correlation SET state = ? WHERE remote_system_id = ? AND local_id = ?"),
  setRemote: sql(
    "UPDATE correlation SET remote_id = ?, last_synced_at = ? WHERE remote_system_id = ? AND local_id = ?",
  ),
  touch: sql("UPDATE correlation SET last_synced_at = ? WHERE remote_system_id = ? AND local_id = ?"),
  stale: sql("UPDATE correlation SET stale_fields_skipped = stale_fields_skipped + ? WHERE local_id = ?"),
};

export interface NewCorrelation {
  remoteSystem: string;
  table: string;
  sysId: string;
  localCorrelationId?: string;
  remoteCorrelationId?: string | null;
}

/**
 * The work of the correlation store as plans (server/storage/plan.ts), one text for both
 * dialects: to compose into a larger transaction (`yield* correlationPlans.byRecord(…)`).
 */
export const correlationPlans = {
  *byRecord(remoteSystem: string, table: string, sysId: string): Plan<CorrelationView | null> {
    const row = yield* get(Q.byRecord, remoteSystem, table, sysId);
    return row ? toCorrelation(row) : null;
  },

  *byLocalId(remoteSystem: string, localId: string): Plan<CorrelationView | null> {
    const row = yield* get(Q.byLocal, remoteSystem, localId);
    return row ? toCorrelation(row) : null;
  },

  *byRemoteId(remoteSystem: string, remoteId: string): Plan<CorrelationView | null> {
    const row = yield* get(Q.byRemote, remoteSystem, remoteId);
    return row ? toCorrelation(row) : null;
  },

  *ofRecord(table: string, sysId: string): Plan<CorrelationView[]> {
    return (yield* all(Q.ofRecord, table, sysId)).map(toCorrelation);
  },

  /**
   * Creates the correlation, or returns the active one the record already has with this remote
   * (so a re-run after a crash converges instead of failing).
   */
  *create(input: NewCorrelation): Plan<CorrelationView> {
    const existing = yield* correlationPlans.byRecord(input.remoteSystem, input.table, input.sysId);
    if (existing) {
      if (input.remoteCorrelationId && existing.remoteCorrelationId !== input.remoteCorrelationId) {
        yield* run(
          Q.setRemote,
          input.remoteCorrelationId,
          Date.now(),
          input.remoteSystem,
          existing.localCorrelationId,
        );
        return { ...existing, remoteCorrelationId: input.remoteCorrelationId };
      }
      return existing;
    }
    const localId = input.localCorrelationId ?? newSysId();
    const taken = yield* get(Q.byLocalAny, localId);
    if (taken) {
      throw new RecordError(
        409,
        "Correlation id already used",
        `Correlation ${localId} belongs to ${taken.table_name} ${taken.record_sys_id}`,
      );
    }
    const now = Date.now();
    yield* run(
      Q.insert,
      localId,
      input.remoteCorrelationId ?? null,
      input.remoteSystem,
      input.table,
      input.sysId,
      now,
      now,
    );
    // The row as just written (the schema's defaults included), not read back: every synced
    // record creates one on each side.
    return {
      localCorrelationId: localId,
      remoteCorrelationId: input.remoteCorrelationId ?? null,
      remoteSystem: input.remoteSystem,
      table: input.table,
      sysId: input.sysId,
      state: "active",
      staleFieldsSkipped: 0,
      createdAt: now,
      lastSyncedAt: now,
    };
  },

  *updateState(remoteSystem: string, localId: string, state: CorrelationState): Plan<CorrelationView> {
    yield* run(Q.setState, state, remoteSystem, localId);
    const row = yield* get(Q.byLocalAny, localId);
    if (!row) throw new RecordError(404, "Correlation not found", localId);
    return toCorrelation(row);
  },

  *setRemoteId(remoteSystem: string, localId: string, remoteId: string): Plan<CorrelationView> {
    yield* run(Q.setRemote, remoteId, Date.now(), remoteSystem, localId);
    const row = yield* get(Q.byLocalAny, localId);
    if (!row) throw new RecordError(404, "Correlation not found", localId);
    return toCorrelation(row);
  },

  *touch(remoteSystem: string, localId: string): Plan<void> {
    yield* run(Q.touch, Date.now(), remoteSystem, localId);
  },

  *countStale(localId: string, count: number): Plan<void> {
    if (count > 0) yield* run(Q.stale, count, localId);
  },
};

/**
 * Correlations (SPEC 3.5): one per (local record, remote system); look-ups see active ones only.
 * Reads run on their own, writes share the commit of their turn (Storage.write).
 */
export class CorrelationStore {
  constructor(private readonly storage: Storage) {}

  byRecord(remoteSystem: string, table: string, sysId: string): Promise<CorrelationView | null> {
    return this.storage.read(correlationPlans.byRecord(remoteSystem, table, sysId));
  }

  byLocalId(remoteSystem: string, localId: string): Promise<CorrelationView | null> {
    return this.storage.read(correlationPlans.byLocalId(remoteSystem, localId));
  }

  byRemoteId(remoteSystem: string, remoteId: string): Promise<CorrelationView | null> {
    return this.storage.read(correlationPlans.byRemoteId(remoteSystem, remoteId));
  }

  ofRecord(table: string, sysId: string): Promise<CorrelationView[]> {
    return this.storage.read(correlationPlans.ofRecord(table, sysId));
  }

  /** See correlationPlans.create; one transaction, so a concurrent create cannot slip in between. */
  create(input: NewCorrelation): Promise<CorrelationView> {
    return this.storage.write(() => correlationPlans.create(input));
  }

  updateState(remoteSystem: string, localId: string, state: CorrelationState): Promise<CorrelationView> {
    return this.storage.write(() => correlationPlans.updateState(remoteSystem, localId, state));
  }

  setRemoteId(remoteSystem: string, localId: string, remoteId: string): Promise<CorrelationView> {
    return this.storage.write(() => correlationPlans.setRemoteId(remoteSystem, localId, remoteId));
  }

  touch(remoteSystem: string, localId: string): Promise<void> {
    return this.storage.write(() => correlationPlans.touch(remoteSystem, localId));
  }

  countStale(localId: string, count: number): Promise<void> {
    return this.storage.write(() => correlationPlans.countStale(localId, count));
  }
}

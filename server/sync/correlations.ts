import type { Correlation, CorrelationState } from "../../flows/ports/ports";
import type { Db } from "../db/client";
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

/** Correlations (SPEC 3.5): one per (local record, remote system); look-ups see active ones only. */
export class CorrelationStore {
  private readonly sql;

  constructor(db: Db) {
    const c = db.$client;
    this.sql = {
      byRecord: c.prepare<[string, string, string], CorrelationRow>(
        `SELECT * FROM correlation WHERE remote_system_id = ? AND table_name = ? AND record_sys_id = ? AND state = 'active'
         LIMIT 1`,
      ),
      byLocal: c.prepare<[string, string], CorrelationRow>(
        "SELECT * FROM correlation WHERE remote_system_id = ? AND local_id = ? AND state = 'active'",
      ),
      byLocalAny: c.prepare<[string], CorrelationRow>("SELECT * FROM correlation WHERE local_id = ?"),
      byRemote: c.prepare<[string, string], CorrelationRow>(
        "SELECT * FROM correlation WHERE remote_system_id = ? AND remote_id = ? AND state = 'active' LIMIT 1",
      ),
      ofRecord: c.prepare<[string, string], CorrelationRow>(
        "SELECT * FROM correlation WHERE table_name = ? AND record_sys_id = ? ORDER BY created_at",
      ),
      insert: c.prepare(
        `INSERT INTO correlation (local_id, remote_id, remote_system_id, table_name, record_sys_id, state, created_at,
           last_synced_at) VALUES (?, ?, ?, ?, ?, 'active', ?, ?)`,
      ),
      setState: c.prepare("UPDATE correlation SET state = ? WHERE remote_system_id = ? AND local_id = ?"),
      setRemote: c.prepare(
        "UPDATE correlation SET remote_id = ?, last_synced_at = ? WHERE remote_system_id = ? AND local_id = ?",
      ),
      touch: c.prepare(
        "UPDATE correlation SET last_synced_at = ? WHERE remote_system_id = ? AND local_id = ?",
      ),
      stale: c.prepare(
        "UPDATE correlation SET stale_fields_skipped = stale_fields_skipped + ? WHERE local_id = ?",
      ),
    };
  }

  byRecord(remoteSystem: string, table: string, sysId: string): CorrelationView | null {
    const row = this.sql.byRecord.get(remoteSystem, table, sysId);
    return row ? toCorrelation(row) : null;
  }

  byLocalId(remoteSystem: string, localId: string): CorrelationView | null {
    const row = this.sql.byLocal.get(remoteSystem, localId);
    return row ? toCorrelation(row) : null;
  }

  byRemoteId(remoteSystem: string, remoteId: string): CorrelationView | null {
    const row = this.sql.byRemote.get(remoteSystem, remoteId);
    return row ? toCorrelation(row) : null;
  }

  ofRecord(table: string, sysId: string): CorrelationView[] {
    return this.sql.ofRecord.all(table, sysId).map(toCorrelation);
  }

  /**
   * Creates the correlation, or returns the active one the record already has with this remote
   * (so a re-run after a crash converges instead of failing).
   */
  create(input: {
    remoteSystem: string;
    table: string;
    sysId: string;
    localCorrelationId?: string;
    remoteCorrelationId?: string | null;
  }): CorrelationView {
    const existing = this.byRecord(input.remoteSystem, input.table, input.sysId);
    if (existing) {
      if (input.remoteCorrelationId && existing.remoteCorrelationId !== input.remoteCorrelationId) {
        this.sql.setRemote.run(
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
    const taken = this.sql.byLocalAny.get(localId);
    if (taken) {
      throw new RecordError(
        409,
        "Correlation id already used",
        `Correlation ${localId} belongs to ${taken.table_name} ${taken.record_sys_id}`,
      );
    }
    const now = Date.now();
    this.sql.insert.run(
      localId,
      input.remoteCorrelationId ?? null,
      input.remoteSystem,
      input.table,
      input.sysId,
      now,
      now,
    );
    return this.byLocalId(input.remoteSystem, localId) as CorrelationView;
  }

  updateState(remoteSystem: string, localId: string, state: CorrelationState): CorrelationView {
    this.sql.setState.run(state, remoteSystem, localId);
    const row = this.sql.byLocalAny.get(localId);
    if (!row) throw new RecordError(404, "Correlation not found", localId);
    return toCorrelation(row);
  }

  setRemoteId(remoteSystem: string, localId: string, remoteId: string): CorrelationView {
    this.sql.setRemote.run(remoteId, Date.now(), remoteSystem, localId);
    const row = this.sql.byLocalAny.get(localId);
    if (!row) throw new RecordError(404, "Correlation not found", localId);
    return toCorrelation(row);
  }

  touch(remoteSystem: string, localId: string): void {
    this.sql.touch.run(Date.now(), remoteSystem, localId);
  }

  countStale(localId: string, count: number): void {
    if (count > 0) this.sql.stale.run(count, localId);
  }
}

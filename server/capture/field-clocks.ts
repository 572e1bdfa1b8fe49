import type { Db } from "../db/client";

export interface FieldClock {
  counter: number;
  origin: string; // instance id that made the change
}

/**
 * A record's clocks as stored: one row per record, `{"<origin>": {"<field>": counter}}`. One row
 * per (record, field) repeated the record's id and the 32-character origin in every row: 561
 * bytes per synced incident, against ~190 packed (issue 14, storage per synced record).
 */
type StoredClocks = Record<string, Record<string, number>>;

/**
 * Logical clocks per (record, field) (SPEC 3.8). A local change bumps the clock; a change that
 * arrives by sync carries the sender's clock and is applied only when newer than ours, ties
 * broken by instance id, so concurrent edits converge on both sides. A write reads and writes
 * the record's one row inside the caller's transaction (the record write path's).
 */
export class FieldClocks {
  private readonly sql;

  constructor(db: Db) {
    const c = db.$client;
    this.sql = {
      read: c.prepare<[string], string>("SELECT clocks FROM record_clock WHERE record_sys_id = ?").pluck(),
      write: c.prepare<[string, string]>(
        `INSERT INTO record_clock (record_sys_id, clocks) VALUES (?, ?)
         ON CONFLICT (record_sys_id) DO UPDATE SET clocks = excluded.clocks`,
      ),
    };
  }

  /** Every clock of one record, by field. */
  all(sysId: string): Map<string, FieldClock> {
    const clocks = new Map<string, FieldClock>();
    const stored = this.sql.read.get(sysId);
    if (stored === undefined) return clocks;
    for (const [origin, fields] of Object.entries(JSON.parse(stored) as StoredClocks))
      for (const [field, counter] of Object.entries(fields)) clocks.set(field, { counter, origin });
    return clocks;
  }

  get(sysId: string, field: string): FieldClock {
    return this.all(sysId).get(field) ?? { counter: 0, origin: "" };
  }

  /**
   * Moves the clocks of several fields of one record forward, as a local change by `origin`, and
   * returns all of the record's clocks after it (the row is read anyway), or undefined when
   * there was nothing to bump (and nothing was read).
   */
  bumpAll(sysId: string, fields: readonly string[], origin: string): Map<string, FieldClock> | undefined {
    if (fields.length === 0) return undefined;
    const clocks = this.all(sysId);
    for (const field of new Set(fields)) {
      clocks.set(field, { counter: (clocks.get(field)?.counter ?? 0) + 1, origin });
    }
    this.store(sysId, clocks);
    return clocks;
  }

  /** Sets the clocks of several fields of one record, as they arrived from another instance. */
  setAll(sysId: string, incoming: Iterable<[string, FieldClock]>): void {
    const clocks = this.all(sysId);
    let changed = false;
    for (const [field, clock] of incoming) {
      clocks.set(field, clock);
      changed = true;
    }
    if (changed) this.store(sysId, clocks);
  }

  set(sysId: string, field: string, clock: FieldClock): void {
    this.setAll(sysId, [[field, clock]]);
  }

  private store(sysId: string, clocks: Map<string, FieldClock>): void {
    // Origins and field names arrive from other instances: on plain objects an origin named
    // "__proto__" wrote every field onto Object.prototype (the wire fuzz test found it).
    const stored: StoredClocks = Object.create(null);
    for (const [field, { counter, origin }] of clocks) {
      stored[origin] ??= Object.create(null);
      (stored[origin] as Record<string, number>)[field] = counter;
    }
    this.sql.write.run(sysId, JSON.stringify(stored));
  }
}

/** True when `incoming` should win over `local`. */
export function isNewer(incoming: FieldClock, local: FieldClock): boolean {
  if (incoming.counter !== local.counter) return incoming.counter > local.counter;
  return incoming.origin > local.origin;
}

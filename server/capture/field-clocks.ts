import type { Db } from "../db/client";

export interface FieldClock {
  counter: number;
  origin: string; // instance id that made the change
}

/**
 * Logical clocks per (record, field) (SPEC 3.8). A local change bumps the clock; a change that
 * arrives by sync carries the sender's clock and is applied only when newer than ours, ties
 * broken by instance id, so concurrent edits converge on both sides.
 */
export class FieldClocks {
  private readonly sql;

  constructor(db: Db) {
    const c = db.$client;
    this.sql = {
      bump: c.prepare<[string, string, string], { counter: number }>(
        `INSERT INTO field_clock (record_sys_id, field, counter, origin) VALUES (?, ?, 1, ?)
         ON CONFLICT (record_sys_id, field) DO UPDATE SET counter = counter + 1, origin = excluded.origin
         RETURNING counter`,
      ),
      get: c.prepare<[string, string], FieldClock>(
        "SELECT counter, origin FROM field_clock WHERE record_sys_id = ? AND field = ?",
      ),
      set: c.prepare(
        `INSERT INTO field_clock (record_sys_id, field, counter, origin) VALUES (?, ?, ?, ?)
         ON CONFLICT (record_sys_id, field) DO UPDATE SET counter = excluded.counter, origin = excluded.origin`,
      ),
    };
  }

  bump(sysId: string, field: string, origin: string): FieldClock {
    const counter = this.sql.bump.get(sysId, field, origin)?.counter ?? 1;
    return { counter, origin };
  }

  get(sysId: string, field: string): FieldClock {
    return this.sql.get.get(sysId, field) ?? { counter: 0, origin: "" };
  }

  set(sysId: string, field: string, clock: FieldClock): void {
    this.sql.set.run(sysId, field, clock.counter, clock.origin);
  }
}

/** True when `incoming` should win over `local`. */
export function isNewer(incoming: FieldClock, local: FieldClock): boolean {
  if (incoming.counter !== local.counter) return incoming.counter > local.counter;
  return incoming.origin > local.origin;
}

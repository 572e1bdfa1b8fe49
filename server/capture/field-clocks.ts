import { get, type Plan, run, sql } from "../storage";
import { SHIPPED_FIELD_NAMES_V1 } from "../tables/shipped-field-names";
import { tokenCodec } from "../util/token-codec";

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

// The JSON's punctuation and the shipped tables' field names, one character each
// (server/util/token-codec.ts): 151 -> 55 bytes for a created incident. Frozen once used.
const CLOCKS = tokenCodec("c", ['{"', '":{"', '":1,"', '":', ',"', ...SHIPPED_FIELD_NAMES_V1]);

const Q = {
  read: sql<{ clocks: string }>("SELECT clocks FROM record_clock WHERE record_sys_id = ?"),
  write: sql(
    `INSERT INTO record_clock (record_sys_id, clocks) VALUES (?, ?)
     ON CONFLICT (record_sys_id) DO UPDATE SET clocks = excluded.clocks`,
  ),
};

/**
 * Logical clocks per (record, field) (SPEC 3.8). A local change bumps the clock; a change that
 * arrives by sync carries the sender's clock and is applied only when newer than ours, ties
 * broken by instance id, so concurrent edits converge on both sides. A write reads and writes
 * the record's one row inside the caller's transaction (the record write path's).
 */
export const fieldClocks = {
  /** Every clock of one record, by field. */
  *all(sysId: string): Plan<Map<string, FieldClock>> {
    const clocks = new Map<string, FieldClock>();
    const stored = (yield* get(Q.read, sysId))?.clocks;
    if (stored === undefined) return clocks;
    for (const [origin, fields] of Object.entries(JSON.parse(CLOCKS.decode(stored)) as StoredClocks))
      for (const [field, counter] of Object.entries(fields)) clocks.set(field, { counter, origin });
    return clocks;
  },

  *get(sysId: string, field: string): Plan<FieldClock> {
    return (yield* fieldClocks.all(sysId)).get(field) ?? { counter: 0, origin: "" };
  },

  /**
   * Moves the clocks of several fields of one record forward, as a local change by `origin`, and
   * returns all of the record's clocks after it (the row is read anyway), or undefined when
   * there was nothing to bump (and nothing was read).
   */
  *bumpAll(
    sysId: string,
    fields: readonly string[],
    origin: string,
    arrived?: Iterable<[string, FieldClock]>,
  ): Plan<Map<string, FieldClock> | undefined> {
    if (fields.length === 0) return undefined;
    const clocks = yield* fieldClocks.all(sysId);
    for (const field of new Set(fields)) {
      clocks.set(field, { counter: (clocks.get(field)?.counter ?? 0) + 1, origin });
    }
    if (!arrived) {
      yield* store(sysId, clocks);
      return clocks;
    }
    // A synced write: what is stored is the bump with the sender's clocks set over it (as
    // setAll right after would leave it); what is returned is the bump, as without them.
    const stored = new Map(clocks);
    for (const [field, clock] of arrived) stored.set(field, clock);
    yield* store(sysId, stored);
    return clocks;
  },

  /** Sets the clocks of several fields of one record, as they arrived from another instance. */
  *setAll(sysId: string, incoming: Iterable<[string, FieldClock]>): Plan<void> {
    const clocks = yield* fieldClocks.all(sysId);
    let changed = false;
    for (const [field, clock] of incoming) {
      clocks.set(field, clock);
      changed = true;
    }
    if (changed) yield* store(sysId, clocks);
  },

  set(sysId: string, field: string, clock: FieldClock): Plan<void> {
    return fieldClocks.setAll(sysId, [[field, clock]]);
  },
};

function store(sysId: string, clocks: Map<string, FieldClock>): Plan<unknown> {
  // Origins and field names arrive from other instances: on plain objects an origin named
  // "__proto__" wrote every field onto Object.prototype (the wire fuzz test found it).
  const stored: StoredClocks = Object.create(null);
  for (const [field, { counter, origin }] of clocks) {
    stored[origin] ??= Object.create(null);
    (stored[origin] as Record<string, number>)[field] = counter;
  }
  return run(Q.write, sysId, CLOCKS.encode(JSON.stringify(stored)));
}

/** True when `incoming` should win over `local`. */
export function isNewer(incoming: FieldClock, local: FieldClock): boolean {
  if (incoming.counter !== local.counter) return incoming.counter > local.counter;
  return incoming.origin > local.origin;
}

import { DataError, NotFoundError, RecordValidationError } from "../../../flows/ports/errors";
import type {
  RecordQuery,
  RecordsPort,
  RecordValues,
  SyncRecord,
  TableInfo,
  WriteMeta,
} from "../../../flows/ports/ports";
import { type FieldClock, fieldClocks, isNewer } from "../../capture/field-clocks";
import { idempotencyKeyPlans } from "../../idempotency/idempotency-keys";
import type { ImportedJournalEntry, RecordService } from "../../records/record-service";
import type { Actor, ArrivedClocks } from "../../records/types";
import type { Plan } from "../../storage";
import { correlationPlans } from "../../sync/correlations";
import { RecordError } from "../../util/errors";
import type { RunScope } from "./scope";

/**
 * Flows write records through the one write path, as the run-as user and marked with the
 * remote they act for (echo suppression). Fields that arrive with a logical clock are applied
 * only when newer than ours (SPEC 3.8); creates are idempotent by the step's key.
 */
export interface RecordsPortShared {
  records: RecordService;
}

/** What every run's port shares (kept as a value so the port's signature can grow). */
export function recordsPortShared(records: RecordService): RecordsPortShared {
  return { records };
}

/** Who a flow's write is made as, and for which remote (echo suppression). Shared with dry runs. */
export function flowActor(meta: WriteMeta, scope: RunScope): Actor {
  return {
    userName: meta.runAs ?? scope.runAs,
    origin: "flow",
    originRemote: meta.originRemoteSystem ?? scope.originRemote ?? null,
  };
}

/** The journal entries a flow writes, keeping their original author, time and entry id. */
export function flowJournal(meta: WriteMeta, scope: RunScope, now: () => string): ImportedJournalEntry[] {
  return (meta.journalEntries ?? []).map((j) => ({
    element: j.element,
    value: j.value,
    createdBy: j.created_by ?? scope.runAs,
    createdOn: j.created_on ?? now(),
    ...("entry_id" in j && typeof j.entry_id === "string" ? { entryId: j.entry_id } : {}),
  }));
}

const NO_CLOCK: FieldClock = { counter: 0, origin: "" };

export function recordsPort(deps: RecordsPortShared, scope: RunScope): RecordsPort {
  const { records } = deps;
  // Flows' writes share commits with the other runs of the same turn (group commit on SQLite).
  const write = <T>(operation: "create" | "update" | "delete", table: string, make: () => Plan<T>) =>
    translated(records.write(operation, table, make));
  const actor = (meta: WriteMeta) => flowActor(meta, scope);
  const journal = (meta: WriteMeta) => flowJournal(meta, scope, () => records.now());
  /** The clocks that arrived for `fields`, handed to the write's change hooks (ArrivedClocks). */
  const arrivedFor = (fields: string[]): ArrivedClocks | undefined => {
    const incoming = scope.fieldClocks;
    if (!incoming) return undefined;
    const clocks: Array<[string, FieldClock]> = [];
    for (const f of fields) {
      const clock = incoming.get(f);
      if (clock) clocks.push([f, clock]);
    }
    return clocks.length > 0 ? { clocks, applied: false } : undefined;
  };
  /** Sets them after the write unless the capture stored them with its own (one write, not two). */
  function* applyClocks(sysId: string, arrived: ArrivedClocks | undefined): Plan<void> {
    if (arrived && !arrived.applied) yield* fieldClocks.setAll(sysId, arrived.clocks);
  }

  return {
    async describe(table): Promise<TableInfo | undefined> {
      const def = records.registry.get(table);
      if (!def) return undefined;
      return {
        name: def.name,
        fields: def.fields.map((f) => ({
          name: f.name,
          type: f.type,
          ...(f.choices ? { choices: f.choices } : {}),
          ...(f.reference
            ? {
                reference: {
                  table: f.reference,
                  displayField: records.registry.get(f.reference)?.displayField ?? "sys_id",
                },
              }
            : {}),
        })),
      };
    },

    async lookup(table, query: RecordQuery): Promise<SyncRecord | null> {
      if ("sysId" in query) return translated(records.get(table, query.sysId));
      const terms = Object.entries(query.where).map(([k, v]) => {
        if (String(v).includes("^")) throw new DataError(`Look-up value for ${k} may not contain "^"`);
        return `${k}=${v}`;
      });
      return translated(records.find(table, terms.join("^")));
    },

    async create(table, values: RecordValues, meta): Promise<SyncRecord> {
      return write("create", table, function* () {
        const key = meta.idempotencyKey;
        const done = key ? yield* idempotencyKeyPlans.find(key) : undefined;
        if (key) scope.keysUsed.push(key);
        if (done) {
          const existing = yield* records.getPlan(table, (JSON.parse(done) as { sys_id: string }).sys_id);
          if (existing) return existing;
        }
        const arrived = arrivedFor(Object.keys(values));
        const created = yield* records.createPlan(table, values, actor(meta), {
          journalEntries: journal(meta),
          ...(arrived ? { arrivedClocks: arrived } : {}),
        });
        yield* applyClocks(created.sys_id, arrived);
        if (key) yield* idempotencyKeyPlans.save(key, JSON.stringify({ sys_id: created.sys_id }));
        return created;
      });
    },

    async update(table, sysId, values: RecordValues, meta): Promise<SyncRecord> {
      return write("update", table, function* () {
        const applied: RecordValues = {};
        let stale = 0;
        const local = scope.fieldClocks ? yield* fieldClocks.all(sysId) : undefined;
        for (const [field, value] of Object.entries(values)) {
          const incoming: FieldClock | undefined = scope.fieldClocks?.get(field);
          // Stale only when our copy is strictly newer: an equal clock means the same version,
          // so what the flow maps (a constant, a value map) is applied as designed.
          if (incoming && isNewer(local?.get(field) ?? NO_CLOCK, incoming)) stale += 1;
          else applied[field] = value;
        }
        const arrived = arrivedFor(Object.keys(applied));
        const updated = yield* records.updatePlan(table, sysId, applied, actor(meta), {
          journalEntries: journal(meta),
          ...(arrived ? { arrivedClocks: arrived } : {}),
        });
        yield* applyClocks(sysId, arrived);
        if (stale > 0 && scope.originRemote) {
          const correlation = yield* correlationPlans.byRecord(scope.originRemote, table, sysId);
          if (correlation) yield* correlationPlans.countStale(correlation.localCorrelationId, stale);
        }
        return updated;
      });
    },

    async delete(table, sysId, meta): Promise<void> {
      await write("delete", table, function* () {
        if (yield* records.getPlan(table, sysId)) yield* records.deletePlan(table, sysId, actor(meta));
      });
    },
  };
}

/** Record service errors become the flow's typed errors, keeping the field and the detail. */
export function translate<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw flowError(error);
  }
}

/** `translate` for a write queued on the group commit. */
export async function translated<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    throw flowError(error);
  }
}

function flowError(error: unknown): unknown {
  if (!(error instanceof RecordError)) return error;
  const message = error.detail ? `${error.message}: ${error.detail}` : error.message;
  if (error.field) return new RecordValidationError(error.field, message);
  if (error.status === 404) return new NotFoundError(message);
  return new DataError(message, { code: `RECORD_${error.status}` });
}

import type {
  Correlation,
  JournalEntry,
  Ports,
  RecordValues,
  SyncRecord,
  WriteMeta,
} from "../../../flows/ports/ports";
import { fieldClocks, isNewer } from "../../capture/field-clocks";
import type { Plan } from "../../storage";
import { correlationPlans } from "../../sync/correlations";
import { newSysId } from "../../util/ids";
import { type PortDeps, remoteId, serverPorts } from "../ports";
import { flowActor, flowJournal, translated } from "../ports/records-port";
import type { RunScope } from "../ports/scope";

// "Try with draft" (issue 15): ports that READ the instance's real records, correlations and
// configuration but write, send and email nothing. Each intended effect is recorded instead.
// Record writes are rehearsed: the real write path runs (validation, derived fields, captures)
// inside a transaction that is always rolled back, so the dry run fails exactly where the real
// run would and shows the record as it would be — and the database is left as it was.

export interface FieldChange {
  field: string;
  // Optional in the type only: JSON leaves out undefined, and the browser sees what JSON carries.
  before?: unknown;
  after?: unknown;
}

export type DryEffect =
  | {
      kind: "record";
      op: "create" | "update" | "delete";
      table: string;
      sysId: string;
      changes: FieldChange[];
      journal: JournalEntry[];
      error?: string;
    }
  | { kind: "correlation"; op: "create" | "state" | "remote_id"; detail: Record<string, unknown> }
  | { kind: "send"; remote: string; message: Record<string, unknown> }
  | { kind: "email"; to: string[]; subject: string; text: string }
  | { kind: "queue"; op: "reprocess" | "skip"; queue: string; ids: string[] }
  | { kind: "attachments"; op: "request" | "remove" | "move"; detail: Record<string, unknown> }
  | { kind: "subflow"; flow: string; inputs: Record<string, unknown> }
  | { kind: "log"; level: string; message: string };

export function dryRunPorts(deps: PortDeps, scope: RunScope): { ports: Ports; effects: DryEffect[] } {
  const effects: DryEffect[] = [];
  const real = serverPorts(deps, scope); // only its read methods are used below
  // The same actor, journal and clocks as a real run, so a dry run fails where the real one would.
  const { records } = deps.recordsShared;
  // Runs a plan in a transaction that is always rolled back: it sees its own writes, keeps none.
  const rehearse = <T>(make: () => Plan<T>) => translated(records.storage.rehearse(make));
  const actor = (meta: WriteMeta) => flowActor(meta, scope);
  const journal = (meta: WriteMeta) => flowJournal(meta, scope, () => records.now());
  const changesOf = (before: RecordValues | null, after: RecordValues, fields: string[]): FieldChange[] =>
    fields.map((f) => ({ field: f, before: before?.[f] ?? null, after: after[f] ?? null }));
  /** Records the effect even when the write is refused, so the diff shows what was attempted. */
  const recordWrite = async (
    effect: Omit<Extract<DryEffect, { kind: "record" }>, "kind" | "changes"> & { wanted: RecordValues },
    before: RecordValues | null,
    act: () => Plan<RecordValues>,
  ): Promise<SyncRecord> => {
    const { wanted, ...rest } = effect;
    try {
      const after = (await rehearse(act)) as SyncRecord;
      effects.push({ kind: "record", ...rest, changes: changesOf(before, after, Object.keys(wanted)) });
      return after;
    } catch (error) {
      effects.push({
        kind: "record",
        ...rest,
        changes: changesOf(before, wanted, Object.keys(wanted)),
        error: error instanceof Error ? error.message : String(error),
      });
      throw error;
    }
  };

  const ports: Ports = {
    records: {
      describe: (table) => real.records.describe(table),
      lookup: (table, query) => real.records.lookup(table, query),
      async create(table, values, meta) {
        return recordWrite(
          { op: "create", table, sysId: "(new)", journal: meta.journalEntries ?? [], wanted: values },
          null,
          () => records.createPlan(table, values, actor(meta), { journalEntries: journal(meta) }),
        );
      },
      async update(table, sysId, values, meta) {
        // Same stale-field rule as the real port (SPEC 3.8), read-only here.
        const applied: RecordValues = {};
        const local = scope.fieldClocks ? await records.storage.read(fieldClocks.all(sysId)) : undefined;
        for (const [field, value] of Object.entries(values)) {
          const incoming = scope.fieldClocks?.get(field);
          const ours = local?.get(field) ?? { counter: 0, origin: "" };
          if (!(incoming && isNewer(ours, incoming))) applied[field] = value;
        }
        const before = await records.get(table, sysId);
        return recordWrite(
          { op: "update", table, sysId, journal: meta.journalEntries ?? [], wanted: applied },
          before,
          () => records.updatePlan(table, sysId, applied, actor(meta), { journalEntries: journal(meta) }),
        );
      },
      async delete(table, sysId, meta) {
        const before = await records.get(table, sysId);
        if (!before) return;
        effects.push({
          kind: "record",
          op: "delete",
          table,
          sysId,
          changes: changesOf(before, {}, []),
          journal: [],
        });
        await rehearse(() => records.deletePlan(table, sysId, actor(meta)));
      },
    },
    correlations: {
      lookupByLocalRecord: (r, t, s) => real.correlations.lookupByLocalRecord(r, t, s),
      lookupByLocalId: (r, id) => real.correlations.lookupByLocalId(r, id),
      lookupByRemoteId: (r, id) => real.correlations.lookupByRemoteId(r, id),
      async create(input) {
        effects.push({ kind: "correlation", op: "create", detail: { ...input } });
        return rehearse(() =>
          correlationPlans.create({
            ...input,
            remoteSystem: remoteId(deps.config, input.remoteSystem),
            localCorrelationId: input.localCorrelationId ?? newSysId(),
          }),
        );
      },
      async updateState(remote, id, state) {
        effects.push({ kind: "correlation", op: "state", detail: { localCorrelationId: id, state } });
        return rehearse(() => correlationPlans.updateState(remoteId(deps.config, remote), id, state));
      },
      async setRemoteId(remote, id, remoteCorrelation) {
        effects.push({
          kind: "correlation",
          op: "remote_id",
          detail: { localCorrelationId: id, remoteCorrelationId: remoteCorrelation },
        });
        const found = await real.correlations.lookupByLocalId(remote, id);
        return { ...(found ?? placeholder(remote, id)), remoteCorrelationId: remoteCorrelation };
      },
    },
    transport: {
      async send(remote, message) {
        effects.push({ kind: "send", remote, message: { ...message } });
        // Nothing leaves: the peer is assumed to accept, keeping the correlation it already has.
        return { status: "accepted", receiverCorrelationId: message.receiver_correlation_id ?? null };
      },
    },
    queues: {
      async reprocess(queue, ids) {
        effects.push({ kind: "queue", op: "reprocess", queue, ids });
        return { count: ids.length };
      },
      async skip(queue, ids) {
        effects.push({ kind: "queue", op: "skip", queue, ids });
        return { count: ids.length };
      },
    },
    email: {
      async send(message) {
        effects.push({ kind: "email", to: message.to, subject: message.subject, text: message.text });
        return { messageId: "dry-run", duplicate: false };
      },
    },
    log: {
      write(level, message) {
        effects.push({ kind: "log", level, message });
      },
    },
    subflows: {
      // A subflow's own effects are not rehearsed: the call is shown, not made.
      async call(flow, inputs) {
        effects.push({ kind: "subflow", flow, inputs });
        return {};
      },
    },
    attachments: {
      list: (record, mode, remote) => real.attachments.list(record, mode, remote),
      identifyNew: (record, incoming) => real.attachments.identifyNew(record, incoming),
      async request(remote, attachments, record) {
        effects.push({
          kind: "attachments",
          op: "request",
          detail: { remote, record, files: attachments.map((a) => a.file_name) },
        });
        return { requested: attachments.length };
      },
      async remove(remote, record, deleted) {
        effects.push({
          kind: "attachments",
          op: "remove",
          detail: { remote, record, files: deleted.map((a) => a.file_name) },
        });
        return { removed: deleted.length };
      },
      async move(remote, correlationId, record) {
        effects.push({ kind: "attachments", op: "move", detail: { remote, correlationId, record } });
        return { moved: 0 };
      },
    },
  };
  return { ports, effects };
}

function placeholder(remote: string, id: string): Correlation {
  return {
    localCorrelationId: id,
    remoteCorrelationId: null,
    remoteSystem: remote,
    table: "",
    sysId: "",
    state: "active",
  };
}

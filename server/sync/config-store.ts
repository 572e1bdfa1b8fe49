import { getTableColumns } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import type { z } from "zod";
import { captureDefinition, flowBinding, processEvent, remoteSystem, syncDefinition } from "../db/schema";
import { all, freshReload, get, isSync, type Plan, type Query, run, type Storage, sql } from "../storage";
import { RecordError } from "../util/errors";
import { newSysId } from "../util/ids";
import {
  type CaptureFilter,
  captureFilterSchema,
  captureInput,
  definitionInput,
  flowBindingInput,
  processEventInput,
  remoteSystemInput,
} from "./config-schemas";
import type { SecretBox } from "./secrets";

export type SyncDefinitionRow = typeof syncDefinition.$inferSelect;
export type ProcessEventRow = typeof processEvent.$inferSelect;
export type CaptureRow = Omit<typeof captureDefinition.$inferSelect, "filter"> & { filter: CaptureFilter };
export type RemoteSystemRow = typeof remoteSystem.$inferSelect;
export type FlowBindingRow = typeof flowBinding.$inferSelect;
export type RemoteState = RemoteSystemRow["outboundState"];

/** What the hot paths (capture, workers, wire handler) read, rebuilt after any config change. */
export interface SyncSnapshot {
  capturesByTable: Map<string, CaptureRow[]>; // active, by order
  eventsById: Map<string, ProcessEventRow>;
  eventsByName: Map<string, ProcessEventRow>;
  remotesById: Map<string, RemoteSystemRow>;
  outboundByEvent: Map<string, FlowBindingRow[]>; // active bindings
  inboundByKey: Map<string, FlowBindingRow>; // `${eventId}:${remoteId}`, active
  bindingsById: Map<string, FlowBindingRow>; // all, active or not
}

/** The remote system as a browser may see it: secrets are write-only. */
export type PublicRemoteSystem = Omit<RemoteSystemRow, "outboundSecret" | "signingSecret"> & {
  hasOutboundSecret: boolean;
  hasSigningSecret: boolean;
};

// ---- rows: both dialects store what the SQLite schema stores (booleans 0/1, JSON as text), so
// the drizzle columns convert a row of either --------------------------------------------------

type ConfigTable =
  | typeof syncDefinition
  | typeof processEvent
  | typeof captureDefinition
  | typeof remoteSystem
  | typeof flowBinding;

const tableNames = new Map<ConfigTable, string>([
  [syncDefinition, "sync_definition"],
  [processEvent, "process_event"],
  [captureDefinition, "capture_definition"],
  [remoteSystem, "remote_system"],
  [flowBinding, "flow_binding"],
]);
const columns = new Map<ConfigTable, Array<[string, SQLiteColumn]>>(
  [...tableNames.keys()].map((t) => [
    t,
    Object.entries(getTableColumns(t as SQLiteTable) as Record<string, SQLiteColumn>),
  ]),
);

type Row = Record<string, unknown>;

function fromRow<T>(table: ConfigTable, row: Row): T {
  const out: Row = {};
  for (const [key, column] of columns.get(table) ?? []) {
    const value = row[column.name];
    out[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return out as T;
}

const toCapture = (row: Row): CaptureRow => {
  const c = fromRow<typeof captureDefinition.$inferSelect>(captureDefinition, row);
  return { ...c, filter: captureFilterSchema.parse(c.filter) };
};

// Writes are rare and their column lists vary: their statements are made from the values sent
// and kept by text, so each shape is prepared once.
const writes = new Map<string, Query<Row>>();
function statement(text: string): Query<Row> {
  let query = writes.get(text);
  if (!query) {
    query = sql<Row>(text);
    writes.set(text, query);
  }
  return query;
}

/** The columns of `table` among `values` (undefined = not sent), as [column name, driver value]. */
function assigned(table: ConfigTable, values: Row): Array<[string, unknown]> {
  return (columns.get(table) ?? [])
    .filter(([key]) => values[key] !== undefined)
    .map(([key, column]) => [
      `"${column.name}"`,
      values[key] === null ? null : column.mapToDriverValue(values[key]),
    ]);
}

function* insertRow(table: ConfigTable, values: Row): Plan<Row> {
  const set = assigned(table, values);
  const text = `INSERT INTO ${tableNames.get(table)} (${set.map(([c]) => c).join(", ")}) VALUES (${set
    .map(() => "?")
    .join(", ")}) RETURNING *`;
  const row = yield* guarded(get(statement(text), ...set.map(([, v]) => v)));
  if (!row) throw new Error(`${tableNames.get(table)}: the inserted row did not come back`);
  return row;
}

/** Updates the columns sent (none: reads the row); undefined when no row has this id. */
function* updateRow(table: ConfigTable, id: string, values: Row): Plan<Row | undefined> {
  const set = assigned(table, values);
  const name = tableNames.get(table);
  if (set.length === 0) return yield* get(statement(`SELECT * FROM ${name} WHERE id = ?`), id);
  const text = `UPDATE ${name} SET ${set.map(([c]) => `${c} = ?`).join(", ")} WHERE id = ? RETURNING *`;
  return yield* guarded(get(statement(text), ...set.map(([, v]) => v), id));
}

function* deleteRow(table: ConfigTable, id: string): Plan<void> {
  yield* guarded(run(statement(`DELETE FROM ${tableNames.get(table)} WHERE id = ?`), id));
}

/** A statement's constraint errors as the answers the API gives, on both dialects. */
function* guarded<T>(plan: Plan<T>): Plan<T> {
  try {
    return yield* plan;
  } catch (error) {
    throw constraintError(error);
  }
}

function constraintError(error: unknown): unknown {
  if (!(error instanceof Error) || error instanceof RecordError) return error;
  const code = (error as Error & { code?: string }).code;
  if (/UNIQUE constraint failed/.test(error.message) || code === "23505") {
    const detail = (error as Error & { detail?: string }).detail;
    return new RecordError(
      409,
      "Already exists",
      code === "23505"
        ? `Duplicate ${detail ?? error.message}`
        : error.message.replace(/^.*UNIQUE constraint failed: /, "Duplicate "),
    );
  }
  if (/FOREIGN KEY constraint failed/.test(error.message) || code === "23503") {
    return new RecordError(
      400,
      "A referenced record does not exist",
      "Check the ids of the definition, event, remote system or flow",
    );
  }
  return error;
}

// Reads in insertion order on SQLite (as before), by creation on PostgreSQL (no rowid there).
const listing = (table: string) =>
  sql<Row>({ sqlite: `SELECT * FROM ${table}`, postgres: `SELECT * FROM ${table} ORDER BY created_at, id` });
const Q = {
  definitions: listing("sync_definition"),
  events: listing("process_event"),
  captures: listing("capture_definition"),
  remotes: listing("remote_system"),
  bindings: listing("flow_binding"),
  setRemoteState: sql(
    `UPDATE remote_system SET outbound_state = COALESCE(?, outbound_state), inbound_state = COALESCE(?, inbound_state),
       state_message = ?, updated_at = ? WHERE id = ?`,
  ),
};

function buildSnapshot(
  events: ProcessEventRow[],
  captures: CaptureRow[],
  remotes: RemoteSystemRow[],
  bindings: FlowBindingRow[],
): SyncSnapshot {
  const capturesByTable = new Map<string, CaptureRow[]>();
  for (const c of captures.filter((c) => c.state === "active").sort((a, b) => a.order - b.order)) {
    capturesByTable.set(c.sourceTable, [...(capturesByTable.get(c.sourceTable) ?? []), c]);
  }
  const outboundByEvent = new Map<string, FlowBindingRow[]>();
  const inboundByKey = new Map<string, FlowBindingRow>();
  for (const b of bindings.filter((b) => b.active)) {
    if (b.direction === "outbound")
      outboundByEvent.set(b.processEventId, [...(outboundByEvent.get(b.processEventId) ?? []), b]);
    else inboundByKey.set(`${b.processEventId}:${b.remoteSystemId}`, b);
  }
  return {
    capturesByTable,
    eventsById: new Map(events.map((e) => [e.id, e])),
    eventsByName: new Map(events.map((e) => [e.name, e])),
    remotesById: new Map(remotes.map((r) => [r.id, r])),
    outboundByEvent,
    inboundByKey,
    bindingsById: new Map(bindings.map((b) => [b.id, b])),
  };
}

function notFound(what: string, id: string): never {
  throw new RecordError(404, `${what} not found`, id);
}

/**
 * The work of the configuration store as plans (server/storage/plan.ts), for both dialects: to
 * run in a transaction of the caller's (`yield*`: pairing, configuration imports). A caller that runs a writing
 * plan itself calls `SyncConfig.changed()` after its commit, so every process reloads.
 * Secrets are sealed with `secrets`, hence one set per SecretBox (`SyncConfig.plans`).
 */
export function configPlans(secrets: SecretBox) {
  const plans = {
    *snapshot(): Plan<SyncSnapshot> {
      return buildSnapshot(
        yield* plans.listEvents(),
        yield* plans.listCaptures(),
        yield* plans.listRemotes(),
        yield* plans.listBindings(),
      );
    },

    *listDefinitions(): Plan<SyncDefinitionRow[]> {
      return (yield* all(Q.definitions)).map((r) => fromRow<SyncDefinitionRow>(syncDefinition, r));
    },

    *listEvents(): Plan<ProcessEventRow[]> {
      return (yield* all(Q.events)).map((r) => fromRow<ProcessEventRow>(processEvent, r));
    },

    *listCaptures(): Plan<CaptureRow[]> {
      return (yield* all(Q.captures)).map(toCapture);
    },

    /** With their (sealed) secrets: not for a browser (SyncConfig.listRemotes is). */
    *listRemotes(): Plan<RemoteSystemRow[]> {
      return (yield* all(Q.remotes)).map((r) => fromRow<RemoteSystemRow>(remoteSystem, r));
    },

    *listBindings(): Plan<FlowBindingRow[]> {
      return (yield* all(Q.bindings)).map((r) => fromRow<FlowBindingRow>(flowBinding, r));
    },

    *createDefinition(input: unknown, id = newSysId(), now = Date.now()): Plan<SyncDefinitionRow> {
      const v = definitionInput.parse(input);
      const row = yield* insertRow(syncDefinition, { id, ...v, createdAt: now, updatedAt: now });
      return fromRow<SyncDefinitionRow>(syncDefinition, row);
    },

    /** Name and description (and domain); fields not sent keep their values. */
    *updateDefinition(id: string, input: unknown, now = Date.now()): Plan<SyncDefinitionRow> {
      const v = parsePartial(definitionInput, input);
      const row = yield* updateRow(syncDefinition, id, { ...v, updatedAt: now });
      return row ? fromRow<SyncDefinitionRow>(syncDefinition, row) : notFound("Process sync definition", id);
    },

    *createEvent(input: unknown, id = newSysId(), now = Date.now()): Plan<ProcessEventRow> {
      const v = processEventInput.parse(input);
      return fromRow<ProcessEventRow>(
        processEvent,
        yield* insertRow(processEvent, { id, ...v, createdAt: now }),
      );
    },

    *updateEvent(id: string, input: unknown): Plan<ProcessEventRow> {
      const row = yield* updateRow(processEvent, id, parsePartial(processEventInput, input));
      return row ? fromRow<ProcessEventRow>(processEvent, row) : notFound("Process event", id);
    },

    *createCapture(input: unknown, id = newSysId(), now = Date.now()): Plan<CaptureRow> {
      const v = captureInput.parse(input);
      return toCapture(yield* insertRow(captureDefinition, { id, ...v, createdAt: now, updatedAt: now }));
    },

    *updateCapture(id: string, input: unknown, now = Date.now()): Plan<CaptureRow> {
      const v = parsePartial(captureInput, input);
      const row = yield* updateRow(captureDefinition, id, { ...v, updatedAt: now });
      return row ? toCapture(row) : notFound("Capture definition", id);
    },

    *createRemote(input: unknown, id = newSysId(), now = Date.now()): Plan<RemoteSystemRow> {
      const { outboundSecret, signingSecret, ...v } = remoteSystemInput.parse(input);
      const row = yield* insertRow(remoteSystem, {
        id,
        ...v,
        outboundSecret: secrets.seal(outboundSecret ?? ""),
        signingSecret: secrets.seal(signingSecret ?? ""),
        createdAt: now,
        updatedAt: now,
      });
      return fromRow<RemoteSystemRow>(remoteSystem, row);
    },

    /** Updating a remote's connection or credentials disables it until validated again. */
    *updateRemote(id: string, input: unknown, now = Date.now()): Plan<RemoteSystemRow> {
      const { outboundSecret, signingSecret, ...v } = parsePartial(remoteSystemInput, input);
      const sensitive =
        v.baseUrl !== undefined ||
        v.externalId !== undefined ||
        v.outboundUser !== undefined ||
        outboundSecret !== undefined ||
        signingSecret !== undefined;
      const row = yield* updateRow(remoteSystem, id, {
        ...v,
        ...(outboundSecret !== undefined ? { outboundSecret: secrets.seal(outboundSecret) } : {}),
        ...(signingSecret !== undefined ? { signingSecret: secrets.seal(signingSecret) } : {}),
        ...(sensitive
          ? {
              outboundState: "disabled",
              inboundState: "disabled",
              stateMessage: "Connection changed: validate and activate again",
            }
          : {}),
        updatedAt: now,
      });
      return row ? fromRow<RemoteSystemRow>(remoteSystem, row) : notFound("Remote system", id);
    },

    *setRemoteState(
      id: string,
      change: { outbound?: RemoteState; inbound?: RemoteState; message: string },
      now = Date.now(),
    ): Plan<void> {
      yield* run(Q.setRemoteState, change.outbound ?? null, change.inbound ?? null, change.message, now, id);
    },

    *createBinding(input: unknown, id = newSysId(), now = Date.now()): Plan<FlowBindingRow> {
      const v = flowBindingInput.parse(input);
      return fromRow<FlowBindingRow>(
        flowBinding,
        yield* insertRow(flowBinding, { id, ...v, createdAt: now }),
      );
    },

    /** An empty change is a no-op (as for events). */
    *updateBinding(id: string, input: unknown): Plan<FlowBindingRow> {
      const row = yield* updateRow(flowBinding, id, parsePartial(flowBindingInput, input));
      return row ? fromRow<FlowBindingRow>(flowBinding, row) : notFound("Flow binding", id);
    },

    /** Removals for configuration imports (server/config-as-code), children before parents. */
    deleteDefinition: (id: string): Plan<void> => deleteRow(syncDefinition, id),
    deleteEvent: (id: string): Plan<void> => deleteRow(processEvent, id),
    deleteCapture: (id: string): Plan<void> => deleteRow(captureDefinition, id),
    deleteBinding: (id: string): Plan<void> => deleteRow(flowBinding, id),
    /** Removes a remote system nothing refers to yet (a pairing that the peer refused). */
    deleteRemote: (id: string): Plan<void> => deleteRow(remoteSystem, id),
  };
  return plans;
}

export type ConfigPlans = ReturnType<typeof configPlans>;

/**
 * The sync configuration (SPEC 2) of one process. Hot paths (capture, workers, wire handler)
 * read `snapshot()`, synchronously, from memory: loaded by `load()` before the workers start and
 * reloaded after every change, this process's (a write settles once the snapshot shows it) or
 * another's (signal "config"; until the new one is loaded the old one is served; a burst of
 * signals costs one reload more, not one each). `onChange` listeners run after every reload.
 */
export class SyncConfig {
  /** The same work as plans, to run in a caller's transaction (then call `changed()`). */
  readonly plans: ConfigPlans;
  private current: SyncSnapshot | undefined;
  private readonly listeners: Array<() => void> = [];
  /** Set while this object sends its own signal: its own reload is under way already. */
  private notifying = false;
  private readonly unlisten: () => void;

  constructor(
    private readonly storage: Storage,
    private readonly secrets: SecretBox,
    private readonly onError: (error: unknown) => void = () => {},
  ) {
    this.plans = configPlans(secrets);
    this.unlisten = storage.signals.listen("config", () => {
      // from another process (or another SyncConfig here), or RESYNC after a lost connection
      if (!this.notifying) this.reload().catch(this.onError);
    });
  }

  /** Loads the snapshot (before anything reads it; on SQLite the first read would load it too). */
  load(): Promise<void> {
    return this.reload();
  }

  /** Stops following the other processes' changes. */
  close(): void {
    this.unlisten();
  }

  /** Called after every reload of the snapshot (workers wake: a remote may have become active). */
  onChange(listener: () => void): () => void {
    this.listeners.push(listener);
    return () => {
      const at = this.listeners.indexOf(listener);
      if (at >= 0) this.listeners.splice(at, 1);
    };
  }

  /**
   * After a change committed by a plan of `plans` run in the caller's transaction: tells the
   * other processes, and settles once this process's snapshot shows it.
   */
  async changed(): Promise<void> {
    const reloaded = this.reload(); // starts after the commit, or queues behind a reload that may not see it
    this.notifying = true;
    try {
      this.storage.signals.notify("config");
    } finally {
      this.notifying = false;
    }
    await reloaded;
  }

  snapshot(): SyncSnapshot {
    if (!this.current) {
      if (!isSync(this.storage))
        throw new Error(`SyncConfig.snapshot() before load() on ${this.storage.dialect}`);
      this.current = this.storage.runSync(this.plans.snapshot());
    }
    return this.current;
  }

  /** A reload whose reads start from now: the running one's may have started before a commit. */
  private readonly reload = freshReload(async () => {
    this.current = await this.storage.read(this.plans.snapshot());
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch (error) {
        this.onError(error);
      }
    }
  });

  /** One write in a transaction of its own; settles once this process's snapshot shows it. */
  private async commit<T>(make: () => Plan<T>): Promise<T> {
    let value: T;
    try {
      value = await this.storage.write(make);
    } catch (error) {
      throw constraintError(error);
    }
    await this.changed();
    return value;
  }

  // ---- definitions, events -------------------------------------------------------------

  listDefinitions(): Promise<SyncDefinitionRow[]> {
    return this.storage.read(this.plans.listDefinitions());
  }

  createDefinition(input: unknown, id = newSysId()): Promise<SyncDefinitionRow> {
    return this.commit(() => this.plans.createDefinition(input, id));
  }

  /** Name and description (and domain); fields not sent keep their values. */
  updateDefinition(id: string, input: unknown): Promise<SyncDefinitionRow> {
    return this.commit(() => this.plans.updateDefinition(id, input));
  }

  listEvents(): Promise<ProcessEventRow[]> {
    return this.storage.read(this.plans.listEvents());
  }

  createEvent(input: unknown, id = newSysId()): Promise<ProcessEventRow> {
    return this.commit(() => this.plans.createEvent(input, id));
  }

  /**
   * Renaming an event breaks the link with the peer until it uses the same name (SPEC 2: the
   * name travels on the wire); the UI warns before saving.
   */
  updateEvent(id: string, input: unknown): Promise<ProcessEventRow> {
    return this.commit(() => this.plans.updateEvent(id, input));
  }

  // ---- capture definitions ----------------------------------------------------------------

  listCaptures(): Promise<CaptureRow[]> {
    return this.storage.read(this.plans.listCaptures());
  }

  createCapture(input: unknown, id = newSysId()): Promise<CaptureRow> {
    return this.commit(() => this.plans.createCapture(input, id));
  }

  updateCapture(id: string, input: unknown): Promise<CaptureRow> {
    return this.commit(() => this.plans.updateCapture(id, input));
  }

  // ---- remote systems -----------------------------------------------------------------------

  async listRemotes(): Promise<PublicRemoteSystem[]> {
    return (await this.storage.read(this.plans.listRemotes())).map(toPublicRemote);
  }

  remote(id: string): RemoteSystemRow {
    const row = this.snapshot().remotesById.get(id);
    if (!row) throw new RecordError(404, "Remote system not found", `No remote system has id ${id}`);
    return row;
  }

  async createRemote(input: unknown, id = newSysId()): Promise<PublicRemoteSystem> {
    return toPublicRemote(await this.commit(() => this.plans.createRemote(input, id)));
  }

  /** Updating a remote's connection or credentials disables it until validated again. */
  async updateRemote(id: string, input: unknown): Promise<PublicRemoteSystem> {
    return toPublicRemote(await this.commit(() => this.plans.updateRemote(id, input)));
  }

  /** Removals for configuration imports (server/config-as-code), children before parents. */
  deleteDefinition(id: string): Promise<void> {
    return this.commit(() => this.plans.deleteDefinition(id));
  }

  deleteEvent(id: string): Promise<void> {
    return this.commit(() => this.plans.deleteEvent(id));
  }

  deleteCapture(id: string): Promise<void> {
    return this.commit(() => this.plans.deleteCapture(id));
  }

  deleteBinding(id: string): Promise<void> {
    return this.commit(() => this.plans.deleteBinding(id));
  }

  /** Removes a remote system nothing refers to yet (a pairing that the peer refused). */
  deleteRemote(id: string): Promise<void> {
    return this.commit(() => this.plans.deleteRemote(id));
  }

  /** Every process's snapshot follows (a remote in error stops sending everywhere). */
  setRemoteState(
    id: string,
    change: { outbound?: RemoteState; inbound?: RemoteState; message: string },
  ): Promise<void> {
    return this.commit(() => this.plans.setRemoteState(id, change));
  }

  /** Decrypted credentials, for the transport only; never sent to a browser. */
  credentials(id: string): { user: string; secret: string; signingSecret: string } {
    const r = this.remote(id);
    return {
      user: r.outboundUser,
      secret: this.secrets.open(r.outboundSecret),
      signingSecret: this.secrets.open(r.signingSecret),
    };
  }

  /** The remote system whose inbound API user is `userSysId` (who is calling the sync API). */
  remoteForApiUser(userSysId: string): RemoteSystemRow | undefined {
    for (const r of this.snapshot().remotesById.values()) if (r.inboundApiUserId === userSysId) return r;
    return undefined;
  }

  // ---- flow bindings (outbound / inbound flow records) ---------------------------------------

  listBindings(): Promise<FlowBindingRow[]> {
    return this.storage.read(this.plans.listBindings());
  }

  createBinding(input: unknown, id = newSysId()): Promise<FlowBindingRow> {
    return this.commit(() => this.plans.createBinding(input, id));
  }

  updateBinding(id: string, input: unknown): Promise<FlowBindingRow> {
    return this.commit(() => this.plans.updateBinding(id, input));
  }
}

/**
 * Validates an update: only the keys the caller sent are kept, so a field's default never
 * overwrites what is stored (zod applies defaults even to optional fields).
 */
function parsePartial<S extends z.ZodObject>(schema: S, input: unknown): Partial<z.infer<S>> {
  const parsed = schema.partial().parse(input) as Record<string, unknown>;
  const sent = typeof input === "object" && input !== null ? Object.keys(input) : [];
  return Object.fromEntries(Object.entries(parsed).filter(([k]) => sent.includes(k))) as Partial<z.infer<S>>;
}

export function toPublicRemote(row: RemoteSystemRow): PublicRemoteSystem {
  const { outboundSecret, signingSecret, ...rest } = row;
  return { ...rest, hasOutboundSecret: outboundSecret !== "", hasSigningSecret: signingSecret !== "" };
}

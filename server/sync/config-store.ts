import { eq } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "../db/client";
import { captureDefinition, flowBinding, processEvent, remoteSystem, syncDefinition } from "../db/schema";
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

export class SyncConfig {
  private cached: SyncSnapshot | undefined;
  private readonly listeners: Array<() => void> = [];

  constructor(
    private readonly db: Db,
    private readonly secrets: SecretBox,
  ) {}

  /** Called after every configuration change (workers wake: a remote may have become active). */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  invalidate(): void {
    this.cached = undefined;
    for (const l of this.listeners) l();
  }

  snapshot(): SyncSnapshot {
    this.cached ??= this.load();
    return this.cached;
  }

  private load(): SyncSnapshot {
    const events = this.db.select().from(processEvent).all();
    const captures = this.db
      .select()
      .from(captureDefinition)
      .all()
      .map((c) => ({ ...c, filter: captureFilterSchema.parse(c.filter) }));
    const remotes = this.db.select().from(remoteSystem).all();
    const bindings = this.db.select().from(flowBinding).all();
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

  // ---- definitions, events -------------------------------------------------------------

  listDefinitions(): SyncDefinitionRow[] {
    return this.db.select().from(syncDefinition).all();
  }

  createDefinition(input: unknown, id = newSysId()): SyncDefinitionRow {
    const v = definitionInput.parse(input);
    const now = Date.now();
    return this.write(() =>
      this.db
        .insert(syncDefinition)
        .values({ id, ...v, createdAt: now, updatedAt: now })
        .returning()
        .get(),
    );
  }

  /** Name and description (and domain); fields not sent keep their values. */
  updateDefinition(id: string, input: unknown): SyncDefinitionRow {
    const v = parsePartial(definitionInput, input);
    const row = this.write(() =>
      this.db
        .update(syncDefinition)
        .set({ ...v, updatedAt: Date.now() })
        .where(eq(syncDefinition.id, id))
        .returning()
        .get(),
    );
    if (!row) throw new RecordError(404, "Process sync definition not found", id);
    return row;
  }

  listEvents(): ProcessEventRow[] {
    return this.db.select().from(processEvent).all();
  }

  createEvent(input: unknown, id = newSysId()): ProcessEventRow {
    const v = processEventInput.parse(input);
    return this.write(() =>
      this.db
        .insert(processEvent)
        .values({ id, ...v, createdAt: Date.now() })
        .returning()
        .get(),
    );
  }

  /**
   * Renaming an event breaks the link with the peer until it uses the same name (SPEC 2: the
   * name travels on the wire); the UI warns before saving.
   */
  updateEvent(id: string, input: unknown): ProcessEventRow {
    const v = parsePartial(processEventInput, input);
    const row = this.write(() =>
      Object.keys(v).length === 0
        ? this.db.select().from(processEvent).where(eq(processEvent.id, id)).get()
        : this.db.update(processEvent).set(v).where(eq(processEvent.id, id)).returning().get(),
    );
    if (!row) throw new RecordError(404, "Process event not found", id);
    return row;
  }

  // ---- capture definitions ----------------------------------------------------------------

  listCaptures(): CaptureRow[] {
    return this.db
      .select()
      .from(captureDefinition)
      .all()
      .map((c) => ({ ...c, filter: captureFilterSchema.parse(c.filter) }));
  }

  createCapture(input: unknown, id = newSysId()): CaptureRow {
    const v = captureInput.parse(input);
    const now = Date.now();
    const row = this.write(() =>
      this.db
        .insert(captureDefinition)
        .values({ id, ...v, createdAt: now, updatedAt: now })
        .returning()
        .get(),
    );
    return { ...row, filter: captureFilterSchema.parse(row.filter) };
  }

  updateCapture(id: string, input: unknown): CaptureRow {
    const v = parsePartial(captureInput, input);
    const row = this.write(() =>
      this.db
        .update(captureDefinition)
        .set({ ...v, updatedAt: Date.now() })
        .where(eq(captureDefinition.id, id))
        .returning()
        .get(),
    );
    if (!row) throw new RecordError(404, "Capture definition not found", id);
    return { ...row, filter: captureFilterSchema.parse(row.filter) };
  }

  // ---- remote systems -----------------------------------------------------------------------

  listRemotes(): PublicRemoteSystem[] {
    return this.db.select().from(remoteSystem).all().map(toPublic);
  }

  remote(id: string): RemoteSystemRow {
    const row = this.snapshot().remotesById.get(id);
    if (!row) throw new RecordError(404, "Remote system not found", `No remote system has id ${id}`);
    return row;
  }

  createRemote(input: unknown, id = newSysId()): PublicRemoteSystem {
    const { outboundSecret, signingSecret, ...v } = remoteSystemInput.parse(input);
    const now = Date.now();
    const row = this.write(() =>
      this.db
        .insert(remoteSystem)
        .values({
          id,
          ...v,
          outboundSecret: this.secrets.seal(outboundSecret ?? ""),
          signingSecret: this.secrets.seal(signingSecret ?? ""),
          createdAt: now,
          updatedAt: now,
        })
        .returning()
        .get(),
    );
    return toPublic(row);
  }

  /** Updating a remote's connection or credentials disables it until validated again. */
  updateRemote(id: string, input: unknown): PublicRemoteSystem {
    const { outboundSecret, signingSecret, ...v } = parsePartial(remoteSystemInput, input);
    const sensitive =
      v.baseUrl !== undefined ||
      v.externalId !== undefined ||
      v.outboundUser !== undefined ||
      outboundSecret !== undefined ||
      signingSecret !== undefined;
    const row = this.write(() =>
      this.db
        .update(remoteSystem)
        .set({
          ...v,
          ...(outboundSecret !== undefined ? { outboundSecret: this.secrets.seal(outboundSecret) } : {}),
          ...(signingSecret !== undefined ? { signingSecret: this.secrets.seal(signingSecret) } : {}),
          ...(sensitive
            ? {
                outboundState: "disabled",
                inboundState: "disabled",
                stateMessage: "Connection changed: validate and activate again",
              }
            : {}),
          updatedAt: Date.now(),
        })
        .where(eq(remoteSystem.id, id))
        .returning()
        .get(),
    );
    if (!row) throw new RecordError(404, "Remote system not found", id);
    return toPublic(row);
  }

  /** Removals for configuration imports (server/config-as-code), children before parents. */
  deleteDefinition(id: string): void {
    this.write(() => this.db.delete(syncDefinition).where(eq(syncDefinition.id, id)).run());
  }

  deleteEvent(id: string): void {
    this.write(() => this.db.delete(processEvent).where(eq(processEvent.id, id)).run());
  }

  deleteCapture(id: string): void {
    this.write(() => this.db.delete(captureDefinition).where(eq(captureDefinition.id, id)).run());
  }

  deleteBinding(id: string): void {
    this.write(() => this.db.delete(flowBinding).where(eq(flowBinding.id, id)).run());
  }

  /** Removes a remote system nothing refers to yet (a pairing that the peer refused). */
  deleteRemote(id: string): void {
    this.write(() => this.db.delete(remoteSystem).where(eq(remoteSystem.id, id)).run());
  }

  setRemoteState(
    id: string,
    change: { outbound?: RemoteState; inbound?: RemoteState; message: string },
  ): void {
    this.write(() =>
      this.db
        .update(remoteSystem)
        .set({
          ...(change.outbound ? { outboundState: change.outbound } : {}),
          ...(change.inbound ? { inboundState: change.inbound } : {}),
          stateMessage: change.message,
          updatedAt: Date.now(),
        })
        .where(eq(remoteSystem.id, id))
        .run(),
    );
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

  listBindings(): FlowBindingRow[] {
    return this.db.select().from(flowBinding).all();
  }

  createBinding(input: unknown, id = newSysId()): FlowBindingRow {
    const v = flowBindingInput.parse(input);
    return this.write(() =>
      this.db
        .insert(flowBinding)
        .values({ id, ...v, createdAt: Date.now() })
        .returning()
        .get(),
    );
  }

  updateBinding(id: string, input: unknown): FlowBindingRow {
    const v = parsePartial(flowBindingInput, input);
    // An empty change is a no-op (as for events): drizzle refuses an UPDATE without values.
    const row = this.write(() =>
      Object.keys(v).length === 0
        ? this.db.select().from(flowBinding).where(eq(flowBinding.id, id)).get()
        : this.db.update(flowBinding).set(v).where(eq(flowBinding.id, id)).returning().get(),
    );
    if (!row) throw new RecordError(404, "Flow binding not found", id);
    return row;
  }

  private write<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      if (error instanceof Error && /UNIQUE constraint failed/.test(error.message)) {
        throw new RecordError(
          409,
          "Already exists",
          error.message.replace(/^.*UNIQUE constraint failed: /, "Duplicate "),
        );
      }
      if (error instanceof Error && /FOREIGN KEY constraint failed/.test(error.message)) {
        throw new RecordError(
          400,
          "A referenced record does not exist",
          "Check the ids of the definition, event, remote system or flow",
        );
      }
      throw error;
    } finally {
      this.invalidate();
    }
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

function toPublic(row: RemoteSystemRow): PublicRemoteSystem {
  const { outboundSecret, signingSecret, ...rest } = row;
  return { ...rest, hasOutboundSecret: outboundSecret !== "", hasSigningSecret: signingSecret !== "" };
}

import { expect, it } from "vitest";
import type { Storage } from "../storage";
import { SyncConfig } from "./config-store";
import { SecretBox } from "./secrets";

// SyncConfig, written once and run on every dialect (issue 13): SQLite in the unit tests
// (config-store.test.ts), a real PostgreSQL server in tests/integration/storage-seam.test.ts.
// `fresh` gives an empty, migrated instance database.

const remoteInput = {
  name: "beta",
  baseUrl: "http://localhost:3001",
  externalId: "abc",
  outboundUser: "sync.alpha",
  outboundSecret: "s3cret",
  signingSecret: "whsec_x",
};

export function syncConfigContract(fresh: () => Promise<Storage>): void {
  async function setup() {
    const storage = await fresh();
    const config = new SyncConfig(storage, SecretBox.forTests());
    await config.load();
    const remote = await config.createRemote(remoteInput);
    return { storage, config, remote };
  }

  async function withEvent() {
    const { storage, config } = await setup();
    const def = await config.createDefinition({ name: "Hardware", description: "one way", domain: "acme" });
    const event = await config.createEvent({ definitionId: def.id, name: "Hardware Request" });
    return { storage, config, def, event };
  }

  it("never returns secrets, and keeps them encrypted at rest", async () => {
    const { config, remote } = await setup();
    expect(remote).not.toHaveProperty("outboundSecret");
    expect(remote.hasOutboundSecret).toBe(true);
    expect(config.remote(remote.id).outboundSecret).not.toContain("s3cret");
    expect(config.credentials(remote.id).secret).toBe("s3cret");
    expect(JSON.stringify(await config.listRemotes())).not.toContain("outboundSecret");
  });

  it("updates only the fields sent: defaults never overwrite stored values", async () => {
    const { config, remote } = await setup();
    await config.setRemoteState(remote.id, { outbound: "active", inbound: "active", message: "ok" });
    const updated = await config.updateRemote(remote.id, { retryTimes: 2 });
    expect(updated).toMatchObject({
      retryTimes: 2,
      externalId: "abc",
      outboundState: "active",
      outboundUser: "sync.alpha",
    });
    expect(config.credentials(remote.id).secret).toBe("s3cret");
  });

  it("disables a remote whose connection changes until it is validated again", async () => {
    const { config, remote } = await setup();
    await config.setRemoteState(remote.id, { outbound: "active", inbound: "active", message: "ok" });
    expect(await config.updateRemote(remote.id, { baseUrl: "http://localhost:4001" })).toMatchObject({
      outboundState: "disabled",
      inboundState: "disabled",
    });
  });

  it("refuses invalid input with the field named", async () => {
    const { config } = await setup();
    await expect(config.createRemote({ name: "x", baseUrl: "not a url" })).rejects.toThrow(
      /Connection must be a URL/,
    );
  });

  it("a write settles once this process's snapshot shows it, and the change listeners ran", async () => {
    const { config, remote } = await setup();
    let changes = 0;
    config.onChange(() => changes++);
    expect(config.snapshot().remotesById.get(remote.id)?.outboundState).toBe("disabled");
    await config.setRemoteState(remote.id, { outbound: "error", message: "Retries exhausted" });
    expect(config.snapshot().remotesById.get(remote.id)).toMatchObject({
      outboundState: "error",
      inboundState: "disabled",
      stateMessage: "Retries exhausted",
    });
    expect(changes).toBeGreaterThanOrEqual(1);
  });

  it("keeps booleans, JSON and order as stored, and builds the hot paths' indexes", async () => {
    const { config, def, event } = await withEvent();
    const remote = (await config.listRemotes())[0];
    const filter = { match: "all", groups: [] };
    const second = await config.createCapture({
      definitionId: def.id,
      processEventId: event.id,
      name: "second",
      sourceTable: "incident",
      operations: ["update"],
      filter,
      order: 200,
      includeFields: ["state"],
      includeJournal: [],
      includeAttachments: true,
    });
    const first = await config.createCapture({
      definitionId: def.id,
      processEventId: event.id,
      name: "first",
      sourceTable: "incident",
      operations: ["create"],
      filter,
      order: 10,
      includeFields: [],
      includeJournal: ["comments"],
    });
    expect(second).toMatchObject({ includeAttachments: true, operations: ["update"], order: 200 });
    expect(first).toMatchObject({ includeAttachments: false, ignoreNonInteractive: false, state: "active" });
    expect(
      config
        .snapshot()
        .capturesByTable.get("incident")
        ?.map((c) => c.name),
    ).toEqual(["first", "second"]);
    const out = await config.createBinding({
      direction: "outbound",
      definitionId: def.id,
      processEventId: event.id,
      remoteSystemId: remote?.id,
      flowId: "f1",
    });
    expect(out.active).toBe(true);
    expect(
      config
        .snapshot()
        .outboundByEvent.get(event.id)
        ?.map((b) => b.id),
    ).toEqual([out.id]);
    expect(await config.updateBinding(out.id, { active: false })).toMatchObject({ active: false });
    expect(config.snapshot().outboundByEvent.has(event.id)).toBe(false);
    expect(config.snapshot().bindingsById.get(out.id)?.active).toBe(false);
    expect(await config.updateBinding(out.id, {})).toMatchObject({ id: out.id, active: false });
    expect((await config.listCaptures()).map((c) => c.filter)).toEqual([filter, filter]);
  });

  it("answers 400 for a reference that does not exist, 409 for a duplicate, and changes nothing", async () => {
    const { config, def } = await withEvent();
    await expect(config.createEvent({ definitionId: "nope", name: "Orphan" })).rejects.toMatchObject({
      status: 400,
    });
    await expect(config.createDefinition({ name: "Hardware" })).rejects.toMatchObject({ status: 409 });
    await expect(
      config.createEvent({ definitionId: def.id, name: "Hardware Request" }),
    ).rejects.toMatchObject({
      status: 409,
    });
    expect((await config.listDefinitions()).map((d) => d.name)).toEqual(["Hardware"]);
    expect((await config.listEvents()).map((e) => e.name)).toEqual(["Hardware Request"]);
  });

  it("removes what it created, children first", async () => {
    const { config, def, event } = await withEvent();
    const [remote] = await config.listRemotes();
    await config.deleteEvent(event.id);
    await config.deleteRemote(remote?.id ?? "");
    await config.deleteDefinition(def.id);
    expect(config.snapshot().eventsById.size).toBe(0);
    expect(config.snapshot().remotesById.size).toBe(0);
    expect(await config.listDefinitions()).toEqual([]);
  });

  it("runs its plans in a caller's transaction; changed() then brings the snapshot up to date", async () => {
    const { storage, config } = await setup();
    const def = await storage.transaction(function* () {
      const d = yield* config.plans.createDefinition({ name: "In a transaction" }, "def-1");
      yield* config.plans.createEvent({ definitionId: d.id, name: "Ev" }, "ev-1");
      return d;
    });
    expect(def.id).toBe("def-1");
    expect(config.snapshot().eventsById.has("ev-1")).toBe(false); // not told yet
    await config.changed();
    expect(config.snapshot().eventsById.get("ev-1")?.definitionId).toBe("def-1");
  });

  it("another SyncConfig on the same database follows a change through the signal, and its listeners run", async () => {
    const { storage, config, remote } = await setup();
    const other = new SyncConfig(storage, SecretBox.forTests());
    await other.load();
    let woken = 0;
    other.onChange(() => woken++);
    await config.setRemoteState(remote.id, { outbound: "error", message: "down" });
    await expect.poll(() => other.snapshot().remotesById.get(remote.id)?.outboundState).toBe("error");
    expect(woken).toBeGreaterThanOrEqual(1);
    other.close();
  });

  it("a burst of signals costs one or two reloads, not one each", async () => {
    const { storage, config } = await setup();
    let reloads = 0;
    config.onChange(() => reloads++);
    for (let i = 0; i < 20; i++) storage.signals.notify("config");
    await new Promise((r) => setTimeout(r, 100));
    expect(reloads).toBeGreaterThanOrEqual(1);
    expect(reloads).toBeLessThanOrEqual(2);
  });

  it("reads the database again on RESYNC (a change whose signal was lost)", async () => {
    const { storage, config, remote } = await setup();
    // written behind its back: no signal
    await storage.write(() => config.plans.setRemoteState(remote.id, { outbound: "active", message: "" }));
    expect(config.snapshot().remotesById.get(remote.id)?.outboundState).toBe("disabled");
    storage.signals.notify("config", "*");
    await expect.poll(() => config.snapshot().remotesById.get(remote.id)?.outboundState).toBe("active");
  });

  // ---- editing definitions and events
  it("updates a definition's name and description, keeping fields not sent", async () => {
    const { config, def } = await withEvent();
    const renamed = await config.updateDefinition(def.id, { name: "Hardware requests" });
    expect(renamed).toMatchObject({ name: "Hardware requests", description: "one way", domain: "acme" });
    expect(renamed.updatedAt).toBeGreaterThanOrEqual(def.updatedAt);
    expect(await config.updateDefinition(def.id, { description: "both ways" })).toMatchObject({
      name: "Hardware requests",
      description: "both ways",
      domain: "acme",
    });
  });

  it("renames an event, keeping its definition, and the hot paths see the new name", async () => {
    const { config, def, event } = await withEvent();
    expect(config.snapshot().eventsByName.has("Hardware Request")).toBe(true);
    const renamed = await config.updateEvent(event.id, { name: "Hardware request v2" });
    expect(renamed).toMatchObject({ id: event.id, name: "Hardware request v2", definitionId: def.id });
    expect(config.snapshot().eventsByName.has("Hardware Request")).toBe(false);
    expect(config.snapshot().eventsByName.get("Hardware request v2")?.id).toBe(event.id);
    expect(await config.updateEvent(event.id, {})).toMatchObject({ name: "Hardware request v2" });
  });

  it("answers 404 for a definition or event that does not exist", async () => {
    const { config } = await withEvent();
    await expect(config.updateDefinition("nope", { name: "x" })).rejects.toMatchObject({ status: 404 });
    await expect(config.updateEvent("nope", { name: "x" })).rejects.toMatchObject({ status: 404 });
    await expect(config.updateEvent("nope", {})).rejects.toMatchObject({ status: 404 });
  });

  it("answers 409 when the new name is taken, and changes nothing", async () => {
    const { config, def, event } = await withEvent();
    const other = await config.createDefinition({ name: "Changes" });
    await config.createEvent({ definitionId: other.id, name: "Change Request" });
    await expect(config.updateDefinition(def.id, { name: "Changes" })).rejects.toMatchObject({
      status: 409,
    });
    await expect(config.updateEvent(event.id, { name: "Change Request" })).rejects.toMatchObject({
      status: 409,
    });
    expect((await config.listDefinitions()).find((d) => d.id === def.id)?.name).toBe("Hardware");
    expect((await config.listEvents()).find((e) => e.id === event.id)?.name).toBe("Hardware Request");
  });

  it("refuses an empty name with a message", async () => {
    const { config, def, event } = await withEvent();
    await expect(config.updateDefinition(def.id, { name: "  " })).rejects.toThrow(/Name is required/);
    await expect(config.updateEvent(event.id, { name: "" })).rejects.toThrow(/Name is required/);
  });
}

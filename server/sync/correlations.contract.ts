import { expect, it } from "vitest";
import { attempt, run, type Storage, sql } from "../storage";
import { CorrelationStore, correlationPlans } from "./correlations";

// The CorrelationStore's behaviour, written once and run on every dialect (issue 13): SQLite in
// the unit tests (correlations.test.ts), SQLite and a real PostgreSQL server in
// tests/integration/storage-seam.test.ts. `fresh` gives an empty, migrated instance database.

const addRemote = sql(
  "INSERT INTO remote_system (id, name, base_url, created_at, updated_at) VALUES (?, ?, 'http://x.invalid', 0, 0)",
);

export function correlationStoreContract(fresh: () => Promise<Storage>): void {
  async function setUp() {
    const storage = await fresh();
    await storage.transaction(function* () {
      yield* run(addRemote, "r1", "beta");
      yield* run(addRemote, "r2", "gamma");
    });
    return { storage, store: new CorrelationStore(storage) };
  }

  it("creates a correlation and finds it by record, local id and remote id", async () => {
    const { store } = await setUp();
    const created = await store.create({ remoteSystem: "r1", table: "incident", sysId: "s1" });
    expect(created).toMatchObject({
      remoteSystem: "r1",
      table: "incident",
      sysId: "s1",
      state: "active",
      remoteCorrelationId: null,
      staleFieldsSkipped: 0,
    });
    expect(typeof created.createdAt).toBe("number"); // bigint comes back as a number on PostgreSQL too
    expect(await store.byRecord("r1", "incident", "s1")).toEqual(created);
    expect(await store.byLocalId("r1", created.localCorrelationId)).toEqual(created);
    expect(await store.byRecord("r2", "incident", "s1")).toBeNull();
    const linked = await store.setRemoteId("r1", created.localCorrelationId, "their-1");
    expect(linked.remoteCorrelationId).toBe("their-1");
    expect(await store.byRemoteId("r1", "their-1")).toEqual(linked);
  });

  it("converges on a re-run: the record's active correlation is returned, its remote id updated", async () => {
    const { store } = await setUp();
    const first = await store.create({ remoteSystem: "r1", table: "incident", sysId: "s1" });
    const again = await store.create({
      remoteSystem: "r1",
      table: "incident",
      sysId: "s1",
      remoteCorrelationId: "their-9",
    });
    expect(again.localCorrelationId).toBe(first.localCorrelationId);
    expect((await store.byRecord("r1", "incident", "s1"))?.remoteCorrelationId).toBe("their-9");
  });

  it("refuses a local id that belongs to another record, and changes nothing", async () => {
    const { store } = await setUp();
    await store.create({ remoteSystem: "r1", table: "incident", sysId: "s1", localCorrelationId: "L1" });
    await expect(
      store.create({ remoteSystem: "r2", table: "incident", sysId: "s2", localCorrelationId: "L1" }),
    ).rejects.toMatchObject({ status: 409, message: "Correlation id already used" });
    expect(await store.byRecord("r2", "incident", "s2")).toBeNull();
  });

  it("look-ups see active correlations only; ofRecord lists them all in creation order", async () => {
    const { store } = await setUp();
    const a = await store.create({
      remoteSystem: "r1",
      table: "incident",
      sysId: "s1",
      localCorrelationId: "A",
    });
    await store.create({ remoteSystem: "r2", table: "incident", sysId: "s1", localCorrelationId: "B" });
    const ended = await store.updateState("r1", a.localCorrelationId, "inactive");
    expect(ended.state).toBe("inactive");
    expect(await store.byRecord("r1", "incident", "s1")).toBeNull();
    expect(await store.byLocalId("r1", "A")).toBeNull();
    expect((await store.ofRecord("incident", "s1")).map((c) => [c.localCorrelationId, c.state])).toEqual([
      ["A", "inactive"],
      ["B", "active"],
    ]);
    await expect(store.updateState("r1", "nope", "inactive")).rejects.toMatchObject({ status: 404 });
  });

  it("counts stale fields and touches the last sync", async () => {
    const { store } = await setUp();
    const c = await store.create({ remoteSystem: "r1", table: "incident", sysId: "s1" });
    await store.countStale(c.localCorrelationId, 2);
    await store.countStale(c.localCorrelationId, 0);
    await store.countStale(c.localCorrelationId, 3);
    await store.touch("r1", c.localCorrelationId);
    const after = await store.byRecord("r1", "incident", "s1");
    expect(after?.staleFieldsSkipped).toBe(5);
    expect(after?.lastSyncedAt).toBeGreaterThanOrEqual(c.createdAt);
  });

  it("a transaction whose plan throws leaves nothing behind; plans compose into one transaction", async () => {
    const { storage, store } = await setUp();
    await expect(
      storage.transaction(function* () {
        yield* correlationPlans.create({
          remoteSystem: "r1",
          table: "incident",
          sysId: "s1",
          localCorrelationId: "X",
        });
        throw new Error("after the insert");
      }),
    ).rejects.toThrow("after the insert");
    expect(await store.byLocalId("r1", "X")).toBeNull();
    const both = await storage.transaction(function* () {
      const one = yield* correlationPlans.create({ remoteSystem: "r1", table: "incident", sysId: "s1" });
      const two = yield* correlationPlans.create({ remoteSystem: "r2", table: "incident", sysId: "s1" });
      return [one.remoteSystem, two.remoteSystem];
    });
    expect(both).toEqual(["r1", "r2"]);
  });

  it("a failing statement reaches the plan as an exception; attempt() lets the transaction go on", async () => {
    const { storage, store } = await setUp();
    const outcome = await storage.transaction(function* () {
      yield* correlationPlans.create({
        remoteSystem: "r1",
        table: "incident",
        sysId: "kept",
        localCorrelationId: "K",
      });
      try {
        // no such remote: the foreign key refuses it on both dialects
        yield* attempt(correlationPlans.create({ remoteSystem: "missing", table: "incident", sysId: "s1" }));
        return "inserted";
      } catch {
        return "refused";
      }
    });
    expect(outcome).toBe("refused");
    expect((await store.byLocalId("r1", "K"))?.sysId).toBe("kept");
  });
}

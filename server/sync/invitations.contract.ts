import { expect, it } from "vitest";
import type { Storage } from "../storage";
import { hashOfSecret, InvitationStore, invitationPlans, type StoredInvitation } from "./invitations";

// The pairing invitations' store, written once and run on every dialect (issue 13): SQLite in
// the unit tests (invitations.test.ts), SQLite and a real PostgreSQL server in
// tests/integration/storage-seam.test.ts. `fresh` gives an empty, migrated instance database.

const secret = "s".repeat(32);
const open = (expiresAt = Date.now() + 60_000): StoredInvitation => ({
  hash: hashOfSecret(secret),
  expiresAt,
  createdBy: "admin",
  runAsUserId: "admin-id",
  state: "open",
});

export function invitationStoreContract(fresh: () => Promise<Storage>): void {
  it("saves and loads an invitation; an unknown one is null", async () => {
    const store = new InvitationStore(await fresh());
    await store.save("inv1", open(5_000));
    expect(await store.load("inv1")).toEqual(open(5_000));
    expect(await store.load("inv2")).toBeNull();
    await store.save("inv1", { ...open(5_000), state: "accepted", remoteId: "r1" });
    expect(await store.load("inv1")).toMatchObject({ state: "accepted", remoteId: "r1" });
  });

  it("a claim moves the invitation one step, once", async () => {
    const store = new InvitationStore(await fresh());
    await store.save("inv1", open());
    const before = await store.claim("inv1", secret, "open", "accepted", Date.now());
    expect(before.state).toBe("open");
    expect((await store.load("inv1"))?.state).toBe("accepted");
    await expect(store.claim("inv1", secret, "open", "accepted", Date.now())).rejects.toMatchObject({
      status: 409,
      message: "Invitation already used",
    });
    await store.claim("inv1", secret, "accepted", "confirmed", Date.now());
    expect((await store.load("inv1"))?.state).toBe("confirmed");
  });

  it("refuses a wrong secret, an unknown invitation and an expired one, and changes nothing", async () => {
    const store = new InvitationStore(await fresh());
    await store.save("inv1", open(1_000_000));
    const unknown = { status: 401, message: "Unknown invitation" };
    await expect(store.claim("inv1", "t".repeat(32), "open", "accepted", 0)).rejects.toMatchObject(unknown);
    await expect(store.claim("nope", secret, "open", "accepted", 0)).rejects.toMatchObject(unknown);
    await expect(store.claim("inv1", secret, "open", "accepted", 1_000_001)).rejects.toMatchObject({
      status: 401,
      message: "Invitation expired",
    });
    expect((await store.load("inv1"))?.state).toBe("open");
    await store.claim("inv1", secret, "open", "accepted", 1_000_000); // the expiry itself is still valid
  });

  it("of two claims racing on one invitation, exactly one passes", async () => {
    const storage = await fresh();
    const store = new InvitationStore(storage);
    await store.save("inv1", open());
    const outcomes = await Promise.allSettled([
      store.claim("inv1", secret, "open", "accepted", Date.now()),
      store.claim("inv1", secret, "open", "accepted", Date.now()),
      storage.transaction(() => invitationPlans.claim("inv1", secret, "open", "accepted", Date.now())),
    ]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    for (const o of outcomes) if (o.status === "rejected") expect(o.reason).toMatchObject({ status: 409 });
  });
}

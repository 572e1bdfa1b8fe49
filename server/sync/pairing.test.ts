import { describe, expect, it, vi } from "vitest";
import { memoryInstance } from "../testing/memory-instance";
import { SyncConfig } from "./config-store";
import { invitationTtlMs, Pairing, type PairRequest, parseToken } from "./pairing";
import { SecretBox } from "./secrets";

// The inviting instance's half of pairing: the stored invitation's expiry is checked against the
// `now` the caller passes (the wire handler passes Date.now()).

describe("Pairing (inviter)", () => {
  const setup = () => {
    const { storage, users } = memoryInstance();
    const config = new SyncConfig(storage, SecretBox.forTests());
    const validateAndActivate = vi.fn(async () => ({ ok: true, message: "ok" }));
    const pairing = new Pairing({
      storage,
      config,
      users,
      self: { instance: "alpha", instanceId: "alpha-id", publicUrl: "http://localhost:3000" },
      validateAndActivate,
      fetch: vi.fn(async () => {
        throw new Error("no network in unit tests");
      }),
    });
    return { config, users, pairing };
  };

  const requestFor = (rawToken: string): PairRequest => {
    const token = parseToken(rawToken);
    return {
      invitation: token.invitation,
      secret: token.secret,
      peer: {
        url: "http://localhost:3001",
        instance: "beta",
        remoteId: "remote-on-beta",
        user: "sync.alpha",
        password: "p".repeat(24),
        signingSecret: "whsec_test",
      },
    };
  };

  it("refuses an expired invitation and creates nothing", async () => {
    const { config, users, pairing } = setup();
    const created = Date.now() - invitationTtlMs - 60_000;
    const { token, expiresAt } = await pairing.createInvitation(
      { userName: "admin", sysId: "admin-id" },
      created,
    );
    expect(expiresAt).toBeLessThan(Date.now());

    await expect(pairing.acceptAsInviter(requestFor(token))).rejects.toMatchObject({
      status: 401,
      message: "Invitation expired",
    });
    expect(await config.listRemotes()).toHaveLength(0);
    expect(await users.findByName("sync.beta")).toBeFalsy();
  });

  it("refuses an invitation one millisecond past its expiry, accepts it just before", async () => {
    const { config, pairing } = setup();
    const created = 1_000_000;
    const { token, expiresAt } = await pairing.createInvitation(
      { userName: "admin", sysId: "admin-id" },
      created,
    );
    await expect(pairing.acceptAsInviter(requestFor(token), expiresAt + 1)).rejects.toMatchObject({
      status: 401,
      message: "Invitation expired",
    });
    expect(await config.listRemotes()).toHaveLength(0);

    const answer = await pairing.acceptAsInviter(requestFor(token), expiresAt);
    expect(answer).toMatchObject({ user: "sync.beta" });
    expect(await config.listRemotes()).toHaveLength(1);
  });
});

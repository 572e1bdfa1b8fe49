import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../config/env";
import { createInstance, type Instance, stopInstance } from "../instance/instance";
import { peerAddressHeader } from "../net/client-address";
import { all, sql } from "../storage";

// The guard in a real (temporary) instance: beyond the limit no password is hashed at all.

let inst: Instance;
let dataDir: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(process.env.TANDEM_TEST_DATA_ROOT ?? os.tmpdir(), "tandem-guard-"));
  inst = await createInstance(
    loadConfig({
      ...process.env,
      TANDEM_INSTANCE: "alpha",
      TANDEM_DATA_DIR: dataDir,
      TANDEM_LOG_LEVEL: "silent",
      TANDEM_SEED: "empty",
      TANDEM_ADMIN_PASSWORD: "admin",
      TANDEM_SIGNIN_USER_FAILURES: "3",
      TANDEM_TRUSTED_PROXIES: "10.0.0.1",
    }),
  );
}, 30_000);

afterAll(async () => {
  await stopInstance(inst);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const from = (address: string, extra: Record<string, string> = {}) => ({
  headers: new Headers({ [peerAddressHeader]: address, ...extra }),
  via: "basic" as const,
});

describe("sign-in guard", () => {
  it("checks the throttle before hashing: attempts over the limit cost no scrypt, and are audited", async () => {
    const verify = vi.spyOn(inst.users, "verify");
    for (let i = 0; i < 3; i++)
      expect(await inst.signIns.attempt("admin", "wrong", from("203.0.113.1"))).toEqual({
        ok: false,
        reason: "wrong",
      });
    expect(verify).toHaveBeenCalledTimes(3);
    for (let i = 0; i < 20; i++)
      expect(await inst.signIns.attempt("admin", "wrong", from("203.0.113.1"))).toMatchObject({
        ok: false,
        reason: "throttled",
        retryAfterSeconds: expect.any(Number),
      });
    // Even the right password waits: the decision never depends on the password.
    expect(await inst.signIns.attempt("admin", "admin", from("203.0.113.2"))).toMatchObject({
      reason: "throttled",
    });
    expect(verify).toHaveBeenCalledTimes(3);
    verify.mockRestore();
    const rows = await inst.storage.read(
      all(
        sql<{ user: string; origin: string; new_value: string }>(
          `SELECT "user", origin, new_value FROM audit_entry WHERE operation = 'sign_in_throttled'`,
        ),
      ),
    );
    expect(rows).toHaveLength(21);
    expect(rows[0]).toMatchObject({ user: "admin", origin: "api" });
    expect(JSON.parse(rows[0]?.new_value ?? "{}")).toMatchObject({ address: "203.0.113.1", via: "basic" });
  });

  it("x-forwarded-for counts only from a trusted proxy", () => {
    const spoofed = new Headers({ [peerAddressHeader]: "203.0.113.9", "x-forwarded-for": "1.2.3.4" });
    expect(inst.signIns.addressOf(spoofed)).toBe("203.0.113.9");
    const proxied = new Headers({
      [peerAddressHeader]: "::ffff:10.0.0.1",
      "x-forwarded-for": "1.2.3.4, 198.51.100.7",
    });
    expect(inst.signIns.addressOf(proxied)).toBe("198.51.100.7");
  });
});

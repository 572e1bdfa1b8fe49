import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config/env";
import { createInstance, type Instance, stopInstance } from "../instance/instance";

// Verified Basic credentials are cached with their user: what changes the user applies at once.

let inst: Instance;
let dataDir: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-users-"));
  inst = await createInstance(
    loadConfig({
      ...process.env,
      TANDEM_INSTANCE: "alpha",
      TANDEM_DATA_DIR: dataDir,
      TANDEM_LOG_LEVEL: "silent",
      TANDEM_SEED: "empty",
      TANDEM_ADMIN_PASSWORD: "admin",
    }),
  );
}, 30_000);

afterAll(async () => {
  await stopInstance(inst);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const system = { userName: "system", origin: "system" as const, originRemote: null };

describe("the user directory's Basic cache", () => {
  it("applies a role change and a deactivation to the next request, and a reactivation after", async () => {
    const { users, records } = inst;
    const created = await users.create({ user_name: "casey", roles: "itil", password: "s3cret!" }, system);
    const sysId = String(created.sys_id);
    expect([...((await users.verify("casey", "s3cret!"))?.roles ?? [])]).toEqual(["itil"]);
    expect([...((await users.verify("casey", "s3cret!"))?.roles ?? [])]).toEqual(["itil"]); // from the cache

    records.update("sys_user", sysId, { roles: "itil,sync_operator" }, system);
    expect([...((await users.verify("casey", "s3cret!"))?.roles ?? [])]).toEqual(["itil", "sync_operator"]);

    records.update("sys_user", sysId, { active: "false" }, system);
    expect(await users.verify("casey", "s3cret!")).toBeNull();
    records.update("sys_user", sysId, { active: "true" }, system);
    expect((await users.verify("casey", "s3cret!"))?.userName).toBe("casey");
    expect(await users.verify("casey", "wrong")).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { memoryInstance } from "../testing/memory-instance";
import { UserDirectory } from "./users";

// Verified Basic credentials are cached with their user: what changes the user applies at once.

const system = { userName: "system", origin: "system" as const, originRemote: null };

describe("the user directory's Basic cache", () => {
  it("applies a role change and a deactivation to the next request, and a reactivation after", async () => {
    const { users, records } = memoryInstance();
    const created = await users.create({ user_name: "casey", roles: "itil", password: "s3cret!" }, system);
    const sysId = String(created.sys_id);
    expect([...((await users.verify("casey", "s3cret!"))?.roles ?? [])]).toEqual(["itil"]);
    expect([...((await users.verify("casey", "s3cret!"))?.roles ?? [])]).toEqual(["itil"]); // from the cache

    await records.update("sys_user", sysId, { roles: "itil,sync_operator" }, system);
    expect([...((await users.verify("casey", "s3cret!"))?.roles ?? [])]).toEqual(["itil", "sync_operator"]);

    await records.update("sys_user", sysId, { active: "false" }, system);
    expect(await users.verify("casey", "s3cret!")).toBeNull();
    await records.update("sys_user", sysId, { active: "true" }, system);
    expect((await users.verify("casey", "s3cret!"))?.userName).toBe("casey");
    expect(await users.verify("casey", "wrong")).toBeNull();
  });

  it("a password change made through another directory (another process) clears this one's cache", async () => {
    const { users, records, storage } = memoryInstance();
    const other = new UserDirectory(storage, records);
    const created = await users.create({ user_name: "casey", password: "first!" }, system);
    expect((await other.verify("casey", "first!"))?.userName).toBe("casey"); // cached there
    await users.setPassword(String(created.sys_id), "second!");
    expect(await other.verify("casey", "first!")).toBeNull();
    expect((await other.verify("casey", "second!"))?.userName).toBe("casey");
  });
});

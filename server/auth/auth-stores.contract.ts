import { expect, it } from "vitest";
import { all, get, run, type Storage, sql } from "../storage";
import { SessionStore, sessionPlans } from "./sessions";
import { signInPlans } from "./sign-in-guard";
import { credentialPlans } from "./users";

// The stores of server/auth, written once and run on every dialect (issue 13): SQLite in the
// unit tests (auth-stores.test.ts), SQLite and a real PostgreSQL server in
// tests/integration/storage-seam.test.ts. `fresh` gives an empty, migrated instance database.
// Users are sys_user records (RecordService, SQLite only for now): inserted here as rows.

const addUser = sql(
  `INSERT INTO record (sys_id, table_name, data, sys_created_on, sys_created_by, sys_updated_on, sys_updated_by)
   VALUES (?, 'sys_user', ?, '2026-01-01 00:00:00', 'system', '2026-01-01 00:00:00', 'system')`,
);
const addOther = sql(
  `INSERT INTO record (sys_id, table_name, data, sys_created_on, sys_created_by, sys_updated_on, sys_updated_by)
   VALUES ('i1', 'incident', '{"user_name":"beth"}', '', '', '', '')`,
);
const sessionRows = sql<{ user_sys_id: string; expires_at: number }>(
  "SELECT user_sys_id, expires_at FROM session ORDER BY expires_at",
);
const auditRows = sql<Record<string, unknown>>(
  `SELECT table_name, record_sys_id, operation, field, old_value, new_value, "user", origin, origin_remote, at
   FROM audit_entry ORDER BY id`,
);
const credentialRow = sql<{ password_hash: string; changed_on: string }>(
  "SELECT password_hash, changed_on FROM user_credential WHERE user_sys_id = ?",
);

export function authStoresContract(fresh: () => Promise<Storage>): void {
  async function setUp() {
    const storage = await fresh();
    await storage.transaction(function* () {
      yield* run(addUser, "u1", JSON.stringify({ user_name: "beth", name: "Beth" }));
      yield* run(addUser, "u2", JSON.stringify({ user_name: "o'hara", roles: "itil" }));
      yield* run(addOther);
    });
    return storage;
  }

  it("a session finds its user until it is ended; another token finds nobody", async () => {
    const storage = await setUp();
    const sessions = new SessionStore(storage, 3_600_000);
    const { token, expiresAt } = await sessions.create("u1");
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now());
    expect(await sessions.userOf(token)).toBe("u1");
    expect(await sessions.userOf(`${token}x`)).toBeNull();
    const other = await sessions.create("u2");
    await sessions.end(token);
    expect(await sessions.userOf(token)).toBeNull();
    expect(await sessions.userOf(other.token)).toBe("u2");
    // only the hash of the token is stored
    const rows = await storage.read(all(sql<Record<string, unknown>>("SELECT * FROM session")));
    expect(JSON.stringify(rows)).not.toContain(other.token);
  });

  it("an expired session finds nobody, and the next sign-in purges it", async () => {
    const storage = await setUp();
    await storage.write(() => sessionPlans.create("old", "u1", 1_000, 2_000));
    await storage.write(() => sessionPlans.create("live", "u2", 1_000, Date.now() + 60_000));
    expect(await storage.read(sessionPlans.userOf("old", 2_000))).toBeNull(); // expires_at is exclusive
    expect(await storage.read(sessionPlans.userOf("old", 1_999))).toBe("u1");
    const sessions = new SessionStore(storage, 3_600_000);
    await sessions.create("u1");
    const left = await storage.read(all(sessionRows));
    expect(left.map((r) => r.user_sys_id)).toEqual(["u2", "u1"]);
    expect(typeof left[0]?.expires_at).toBe("number"); // bigint comes back as a number on PostgreSQL too
  });

  it("finds a user by name among sys_user records only, quotes and all", async () => {
    const storage = await setUp();
    expect(await storage.read(credentialPlans.userIdByName("beth"))).toBe("u1");
    expect(await storage.read(credentialPlans.userIdByName("o'hara"))).toBe("u2");
    expect(await storage.read(credentialPlans.userIdByName("Beth"))).toBeNull(); // case matters
    expect(await storage.read(credentialPlans.userIdByName("nobody"))).toBeNull();
    expect(await storage.read(credentialPlans.credentialOf("nobody"))).toBeNull();
    expect(await storage.read(credentialPlans.credentialOf("beth"))).toEqual({ sysId: "u1", hash: null });
  });

  it("sets a password hash, and replaces it on the next change", async () => {
    const storage = await setUp();
    await storage.write(() => credentialPlans.setCredential("u1", "scrypt$1", "2026-01-01 00:00:00"));
    expect(await storage.read(credentialPlans.credentialOf("beth"))).toEqual({
      sysId: "u1",
      hash: "scrypt$1",
    });
    await storage.write(() => credentialPlans.setCredential("u1", "scrypt$2", "2026-01-02 00:00:00"));
    expect(await storage.read(get(credentialRow, "u1"))).toEqual({
      password_hash: "scrypt$2",
      changed_on: "2026-01-02 00:00:00",
    });
    // composes into a larger transaction: a plan that throws after it leaves the old hash
    await expect(
      storage.transaction(function* () {
        yield* credentialPlans.setCredential("u1", "scrypt$3", "2026-01-03 00:00:00");
        throw new Error("the record change was refused");
      }),
    ).rejects.toThrow("the record change was refused");
    expect((await storage.read(credentialPlans.credentialOf("beth")))?.hash).toBe("scrypt$2");
  });

  it("a throttled sign-in is audited on the user of that name, or on no user", async () => {
    const storage = await setUp();
    await storage.write(() =>
      signInPlans.recordThrottled("beth", '{"via":"form"}', "ui", "2026-01-01 10:00:00"),
    );
    await storage.write(() =>
      signInPlans.recordThrottled(`x${"y".repeat(300)}`, '{"via":"basic"}', "api", "2026-01-01 10:00:01"),
    );
    const rows = await storage.read(all(auditRows));
    expect(rows).toEqual([
      {
        table_name: "sys_user",
        record_sys_id: "u1",
        operation: "sign_in_throttled",
        field: null,
        old_value: null,
        new_value: '{"via":"form"}',
        user: "beth",
        origin: "ui",
        origin_remote: null,
        at: "2026-01-01 10:00:00",
      },
      expect.objectContaining({ record_sys_id: "", user: `x${"y".repeat(199)}`, origin: "api" }),
    ]);
  });
}

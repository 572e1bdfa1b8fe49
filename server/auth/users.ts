import { createHmac, randomBytes } from "node:crypto";
import type { Db } from "../db/client";
import type { RecordService, WriteOptions } from "../records/record-service";
import type { Actor, RecordValues } from "../records/types";
import { badRequest } from "../util/errors";
import { hashPassword, verifyPassword } from "./password";
import { type AuthUser, parseRoles } from "./roles";

export interface NewUser {
  user_name: string;
  name?: string;
  email?: string;
  roles?: string;
  password?: string;
}

// A verified Basic credential is remembered briefly so API clients (and the sync peer, which
// sends Basic on every request) do not pay a 50 ms scrypt per request, nor a read of the user's
// record (measured: 8% of a Table API create's CPU). Keys are HMACs under a per-process random
// key, so the cache never holds a password; a password change or any write to a user clears it,
// so a role change or a deactivation applies to the very next request.
const cacheTtlMs = 60_000;

export class UserDirectory {
  private readonly cacheKey = randomBytes(32);
  private readonly verified = new Map<string, { user: AuthUser; until: number }>();
  private readonly sql;

  constructor(
    db: Db,
    private readonly records: RecordService,
  ) {
    records.onChange((change) => {
      if (change.table.name === "sys_user") this.verified.clear();
    });
    const c = db.$client;
    this.sql = {
      byName: c.prepare<[string], { sys_id: string }>(
        "SELECT sys_id FROM record WHERE table_name = 'sys_user' AND json_extract(data, '$.user_name') = ?",
      ),
      credential: c.prepare<[string], { password_hash: string }>(
        "SELECT password_hash FROM user_credential WHERE user_sys_id = ?",
      ),
      setCredential: c.prepare(
        `INSERT INTO user_credential (user_sys_id, password_hash, changed_on) VALUES (?, ?, ?)
         ON CONFLICT (user_sys_id) DO UPDATE SET password_hash = excluded.password_hash, changed_on = excluded.changed_on`,
      ),
    };
  }

  findByName(userName: string): RecordValues | null {
    const row = this.sql.byName.get(userName);
    return row ? this.records.get("sys_user", row.sys_id) : null;
  }

  /** The signed-in view of a sys_user record, or null when it is missing or inactive. */
  toAuthUser(sysId: string, via: AuthUser["via"]): AuthUser | null {
    const user = this.records.get("sys_user", sysId);
    if (!user || user.active === "false") return null;
    return {
      sysId,
      userName: user.user_name ?? "",
      name: user.name || user.user_name || "",
      roles: parseRoles(user.roles),
      via,
    };
  }

  /** Checks a user name and password; null when either is wrong (callers must not say which). */
  async verify(userName: string, password: string): Promise<AuthUser | null> {
    const key = createHmac("sha256", this.cacheKey).update(`${userName}\u0000${password}`).digest("base64");
    const hit = this.verified.get(key);
    if (hit && hit.until > Date.now()) return hit.user;
    const row = this.sql.byName.get(userName);
    const stored = row ? this.sql.credential.get(row.sys_id)?.password_hash : undefined;
    // Hash even for unknown users so response time does not reveal which user names exist.
    const ok = await verifyPassword(password, stored ?? "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAA");
    if (!ok || !row || !stored) return null;
    // Read after the hash: a write to the user while it ran has already cleared the cache.
    const user = this.toAuthUser(row.sys_id, "basic");
    if (!user) return null;
    if (this.verified.size > 10_000) this.verified.clear();
    this.verified.set(key, { user, until: Date.now() + cacheTtlMs });
    return user;
  }

  async setPassword(userSysId: string, password: string): Promise<void> {
    if (password.length < 1) throw new Error("A password cannot be empty");
    const hash = await hashPassword(password);
    this.sql.setCredential.run(userSysId, hash, this.records.now());
    this.verified.clear();
  }

  /** Creates a user record (through the one write path) and its password, if one is given. */
  async create(user: NewUser, actor: Actor): Promise<RecordValues> {
    const hash = user.password ? await hashPassword(user.password) : null;
    return this.records.transaction(() => {
      const { password: _password, ...fields } = user;
      const created = this.records.create("sys_user", fields, actor);
      if (hash) this.sql.setCredential.run(created.sys_id, hash, this.records.now());
      return created;
    });
  }

  /** Creates a user with a password hashed beforehand, inside the caller's transaction. */
  createWithHash(user: Omit<NewUser, "password">, hash: string, actor: Actor): RecordValues {
    return this.records.transaction(() => {
      const created = this.records.create("sys_user", user, actor);
      this.sql.setCredential.run(created.sys_id, hash, this.records.now());
      return created;
    });
  }

  /**
   * Creates (sysId null) or updates a user record and sets its password in one transaction, so a
   * rejected record change keeps the old password. The password never enters the record.
   */
  async saveWithPassword(
    sysId: string | null,
    fields: Record<string, unknown>,
    password: string,
    actor: Actor,
    options: WriteOptions = {},
  ): Promise<RecordValues> {
    if (password === "") {
      throw badRequest(
        "Invalid value for field user_password",
        "A password cannot be empty",
        "user_password",
      );
    }
    const hash = await hashPassword(password);
    const saved = this.records.transaction(() => {
      const record =
        sysId === null
          ? this.records.create("sys_user", fields, actor, options)
          : this.records.update("sys_user", sysId, fields, actor, options);
      this.sql.setCredential.run(record.sys_id, hash, this.records.now());
      return record;
    });
    this.verified.clear();
    return saved;
  }
}

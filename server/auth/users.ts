import { createHmac, randomBytes } from "node:crypto";
import type { RecordService, WriteOptions } from "../records/record-service";
import type { Actor, RecordValues } from "../records/types";
import { afterCommit, get, type Plan, run, type Storage, sql } from "../storage";
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

const Q = {
  idByName: sql<{ sys_id: string }>({
    sqlite:
      "SELECT sys_id FROM record WHERE table_name = 'sys_user' AND json_extract(data, '$.user_name') = ?",
    postgres: "SELECT sys_id FROM record WHERE table_name = 'sys_user' AND (data::jsonb ->> 'user_name') = ?",
  }),
  credential: sql<{ password_hash: string }>(
    "SELECT password_hash FROM user_credential WHERE user_sys_id = ?",
  ),
  setCredential: sql(
    `INSERT INTO user_credential (user_sys_id, password_hash, changed_on) VALUES (?, ?, ?)
     ON CONFLICT (user_sys_id) DO UPDATE SET password_hash = excluded.password_hash, changed_on = excluded.changed_on`,
  ),
};

/**
 * The credential store's work as plans (server/storage/plan.ts). Users themselves are records
 * (sys_user) and are read through RecordService; only the look-up by name and the password
 * hashes (user_credential) are here.
 */
export const credentialPlans = {
  /** The sys_id of the sys_user record with this user name, or null. */
  *userIdByName(userName: string): Plan<string | null> {
    return (yield* get(Q.idByName, userName))?.sys_id ?? null;
  },

  /** The user of this name and its password hash (null when it has no password). */
  *credentialOf(userName: string): Plan<{ sysId: string; hash: string | null } | null> {
    const sysId = yield* credentialPlans.userIdByName(userName);
    if (sysId === null) return null;
    return { sysId, hash: (yield* get(Q.credential, sysId))?.password_hash ?? null };
  },

  /** Sets (or replaces) a user's password hash. */
  *setCredential(userSysId: string, hash: string, changedOn: string): Plan<void> {
    yield* run(Q.setCredential, userSysId, hash, changedOn);
  },
};

// A verified Basic credential is remembered briefly so API clients (and the sync peer, which
// sends Basic on every request) do not pay a 50 ms scrypt per request, nor a read of the user's
// record (measured: 8% of a Table API create's CPU). Keys are HMACs under a per-process random
// key, so the cache never holds a password; a password change or any write to a user clears it,
// so a role change or a deactivation applies to the very next request: in this process at once,
// in the others (issue 13) through the signal "users", sent after the change's commit.
const cacheTtlMs = 60_000;

export class UserDirectory {
  private readonly cacheKey = randomBytes(32);
  private readonly verified = new Map<string, { user: AuthUser; until: number }>();
  /** Raised by every clear: a verification that ran across one does not cache its answer. */
  private generation = 0;

  constructor(
    private readonly storage: Storage,
    private readonly records: RecordService,
  ) {
    // Inside the write's transaction: forget here at once, tell the others after the commit.
    const self = this;
    records.onChange(function* (change) {
      if (change.table.name === "sys_user") yield* self.changedPlan();
    });
    storage.signals.listen("users", () => this.forget());
  }

  private forget(): void {
    this.generation += 1;
    this.verified.clear();
  }

  /**
   * A user or credential changed, inside the change's transaction: forgets now, and once the
   * change has committed forgets again (a verification that read the old row meanwhile) and
   * tells the other processes.
   */
  *changedPlan(): Plan<void> {
    this.forget();
    yield* afterCommit(async () => {
      this.forget();
      this.storage.signals.notify("users");
    });
  }

  /** A change that has committed already (a password set on its own). */
  private changed(): void {
    this.forget();
    this.storage.signals.notify("users");
  }

  /** The sys_id of the user with this name, or null (both dialects). */
  idByName(userName: string): Promise<string | null> {
    return this.storage.read(credentialPlans.userIdByName(userName));
  }

  async findByName(userName: string): Promise<RecordValues | null> {
    const sysId = await this.storage.read(credentialPlans.userIdByName(userName));
    return sysId ? await this.records.get("sys_user", sysId) : null;
  }

  /** The signed-in view of a sys_user record, or null when it is missing or inactive. */
  async toAuthUser(sysId: string, via: AuthUser["via"]): Promise<AuthUser | null> {
    const user = await this.records.get("sys_user", sysId);
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
    const generation = this.generation;
    const found = await this.storage.read(credentialPlans.credentialOf(userName));
    const stored = found?.hash ?? undefined;
    // Hash even for unknown users so response time does not reveal which user names exist.
    const ok = await verifyPassword(password, stored ?? "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAA");
    if (!ok || !found || !stored) return null;
    // Read after the hash: a write to the user while it ran has already cleared the cache.
    const user = await this.toAuthUser(found.sysId, "basic");
    if (!user) return null;
    if (generation !== this.generation) return user; // changed meanwhile: answer, but do not keep
    if (this.verified.size > 10_000) this.verified.clear();
    this.verified.set(key, { user, until: Date.now() + cacheTtlMs });
    return user;
  }

  async setPassword(userSysId: string, password: string): Promise<void> {
    if (password.length < 1) throw new Error("A password cannot be empty");
    const hash = await hashPassword(password);
    await this.storage.write(() => credentialPlans.setCredential(userSysId, hash, this.records.now()));
    this.changed();
  }

  /** Creates a user record (through the one write path) and its password, if one is given. */
  async create(user: NewUser, actor: Actor): Promise<RecordValues> {
    const hash = user.password ? await hashPassword(user.password) : null;
    const { password: _password, ...fields } = user;
    const records = this.records;
    return records.transaction(function* () {
      const created = yield* records.createPlan("sys_user", fields, actor);
      if (hash) yield* credentialPlans.setCredential(created.sys_id, hash, records.now());
      return created;
    });
  }

  /** Creates a user with a password hashed beforehand, as a step of the caller's transaction. */
  *createWithHashPlan(user: Omit<NewUser, "password">, hash: string, actor: Actor): Plan<RecordValues> {
    const created = yield* this.records.createPlan("sys_user", user, actor);
    yield* credentialPlans.setCredential(created.sys_id, hash, this.records.now());
    return created;
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
    const records = this.records;
    const self = this;
    return records.transaction(function* () {
      const record =
        sysId === null
          ? yield* records.createPlan("sys_user", fields, actor, options)
          : yield* records.updatePlan("sys_user", sysId, fields, actor, options);
      yield* credentialPlans.setCredential(record.sys_id, hash, records.now());
      yield* self.changedPlan(); // the password changed even when the record did not
      return record;
    });
  }
}

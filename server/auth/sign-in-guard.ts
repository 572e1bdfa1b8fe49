import type { BlockList } from "node:net";
import type { Logger } from "../log/logger";
import { clientAddress } from "../net/client-address";
import type { HeaderReader } from "../net/headers";
import { type Plan, run, type Storage, sql } from "../storage";
import { toGlideDateTime } from "../util/time";
import type { AuthUser } from "./roles";
import type { SignInThrottle } from "./throttle";
import { credentialPlans, type UserDirectory } from "./users";

export type SignInOutcome =
  | { ok: true; user: AuthUser }
  | { ok: false; reason: "wrong" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

export interface SignInFrom {
  /** The request's headers: the client address comes from them (see client-address.ts). */
  headers: HeaderReader;
  via: "basic" | "form";
}

const Q = {
  // "user" is quoted: a reserved word on PostgreSQL
  audit: sql(
    `INSERT INTO audit_entry (table_name, record_sys_id, operation, field, old_value, new_value, "user", origin, origin_remote, at)
     VALUES ('sys_user', ?, 'sign_in_throttled', NULL, NULL, ?, ?, ?, NULL, ?)`,
  ),
};

export const signInPlans = {
  /** The audit entry of a throttled attempt, on the user of that name ("" when there is none). */
  *recordThrottled(userName: string, detail: string, origin: "ui" | "api", at: string): Plan<void> {
    const sysId = (yield* credentialPlans.userIdByName(userName)) ?? "";
    yield* run(Q.audit, sysId, detail, userName.slice(0, 200), origin, at);
  },
};

/**
 * Every password check goes through here (login form, HTTP Basic on REST, tRPC and the wire).
 * The throttle is consulted before the password is hashed, so attempts beyond the limit cost
 * no scrypt; each throttled attempt is written to the audit log.
 */
export class SignInGuard {
  constructor(
    private readonly deps: {
      storage: Storage;
      users: UserDirectory;
      throttle: SignInThrottle;
      trustedProxies: BlockList | null;
      logger: Logger;
      clock?: () => number;
    },
  ) {}

  addressOf(headers: HeaderReader): string {
    return clientAddress(headers, this.deps.trustedProxies);
  }

  async attempt(userName: string, password: string, from: SignInFrom): Promise<SignInOutcome> {
    const key = { userName, address: this.addressOf(from.headers) };
    const waitMs = this.deps.throttle.waitMs(key);
    if (waitMs > 0) {
      this.deps.throttle.failed(key);
      const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
      await this.recordThrottled(key, from.via, retryAfterSeconds);
      return { ok: false, reason: "throttled", retryAfterSeconds };
    }
    const user = await this.deps.users.verify(userName, password);
    if (!user) {
      this.deps.throttle.failed(key);
      return { ok: false, reason: "wrong" };
    }
    this.deps.throttle.succeeded(key);
    return { ok: true, user };
  }

  private async recordThrottled(
    key: { userName: string; address: string },
    via: SignInFrom["via"],
    retryAfter: number,
  ): Promise<void> {
    const detail = JSON.stringify({
      user_name: key.userName,
      address: key.address,
      via,
      retry_after_s: retryAfter,
    });
    const now = toGlideDateTime(new Date((this.deps.clock ?? Date.now)()));
    await this.deps.storage.write(() =>
      signInPlans.recordThrottled(key.userName, detail, via === "form" ? "ui" : "api", now),
    );
    this.deps.logger.warn({ user: key.userName, address: key.address, via }, "sign-in throttled");
  }
}

export function throttledMessage(seconds: number): string {
  return `Too many failed sign-in attempts. Try again in ${seconds} second${seconds === 1 ? "" : "s"}.`;
}

import type { BlockList } from "node:net";
import type { Db } from "../db/client";
import type { Logger } from "../log/logger";
import { toGlideDateTime } from "../util/time";
import { clientAddress } from "./client-address";
import type { AuthUser } from "./roles";
import type { SignInThrottle } from "./throttle";
import type { UserDirectory } from "./users";

export type SignInOutcome =
  | { ok: true; user: AuthUser }
  | { ok: false; reason: "wrong" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

export interface SignInFrom {
  /** The request's headers: the client address comes from them (see client-address.ts). */
  headers: Headers;
  via: "basic" | "form";
}

/**
 * Every password check goes through here (login form, HTTP Basic on REST, tRPC and the wire).
 * The throttle is consulted before the password is hashed, so attempts beyond the limit cost
 * no scrypt; each throttled attempt is written to the audit log.
 */
export class SignInGuard {
  private readonly audit;

  constructor(
    private readonly deps: {
      db: Db;
      users: UserDirectory;
      throttle: SignInThrottle;
      trustedProxies: BlockList | null;
      logger: Logger;
      clock?: () => number;
    },
  ) {
    this.audit = deps.db.$client.prepare(
      `INSERT INTO audit_entry (table_name, record_sys_id, operation, field, old_value, new_value, user, origin, origin_remote, at)
       VALUES ('sys_user', ?, 'sign_in_throttled', NULL, NULL, ?, ?, ?, NULL, ?)`,
    );
  }

  addressOf(headers: Headers): string {
    return clientAddress(headers, this.deps.trustedProxies);
  }

  async attempt(userName: string, password: string, from: SignInFrom): Promise<SignInOutcome> {
    const key = { userName, address: this.addressOf(from.headers) };
    const waitMs = this.deps.throttle.waitMs(key);
    if (waitMs > 0) {
      this.deps.throttle.failed(key);
      const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
      this.recordThrottled(key, from.via, retryAfterSeconds);
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

  private recordThrottled(
    key: { userName: string; address: string },
    via: SignInFrom["via"],
    retryAfter: number,
  ) {
    const sysId = this.deps.users.findByName(key.userName)?.sys_id ?? "";
    const detail = JSON.stringify({
      user_name: key.userName,
      address: key.address,
      via,
      retry_after_s: retryAfter,
    });
    const now = toGlideDateTime(new Date((this.deps.clock ?? Date.now)()));
    this.audit.run(sysId, detail, key.userName.slice(0, 200), via === "form" ? "ui" : "api", now);
    this.deps.logger.warn({ user: key.userName, address: key.address, via }, "sign-in throttled");
  }
}

export function throttledMessage(seconds: number): string {
  return `Too many failed sign-in attempts. Try again in ${seconds} second${seconds === 1 ? "" : "s"}.`;
}

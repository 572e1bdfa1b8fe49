import type { HeaderReader } from "../net/headers";
import type { AuthUser } from "./roles";
import type { SessionStore } from "./sessions";
import { sessionCookie } from "./sessions";
import { type SignInGuard, throttledMessage } from "./sign-in-guard";
import type { UserDirectory } from "./users";

/** What authentication reads of a request (a web Request is one). */
export interface AuthRequest {
  method: string;
  headers: HeaderReader;
}

export type AuthResult =
  | { ok: true; user: AuthUser }
  | { ok: false; status: 401 | 403; message: string; detail: string }
  | { ok: false; status: 429; message: string; detail: string; retryAfterSeconds: number };

/** Reads one cookie from a Cookie header. */
export function readCookie(header: string | null, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return null;
}

/** Parses "Basic base64(user:password)". */
export function parseBasic(header: string | null): { userName: string; password: string } | null {
  if (!header?.startsWith("Basic ")) return null;
  const decoded = Buffer.from(header.slice(6).trim(), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 1) return null;
  return { userName: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * Who is calling: HTTP Basic first (scripts, the sync peer), then the session cookie (the UI).
 * A cookie-authenticated mutation must come from our own origin (SPEC 1.3), which stops
 * cross-site request forgery even where SameSite is not honoured.
 */
export async function authenticate(
  request: AuthRequest,
  deps: { users: UserDirectory; sessions: SessionStore; signIns: SignInGuard },
): Promise<AuthResult> {
  const basic = parseBasic(request.headers.get("authorization"));
  if (basic) {
    const outcome = await deps.signIns.attempt(basic.userName, basic.password, {
      headers: request.headers,
      via: "basic",
    });
    if (!outcome.ok && outcome.reason === "throttled")
      return {
        ok: false,
        status: 429,
        message: "Too Many Requests",
        detail: throttledMessage(outcome.retryAfterSeconds),
        retryAfterSeconds: outcome.retryAfterSeconds,
      };
    if (!outcome.ok)
      return {
        ok: false,
        status: 401,
        message: "User Not Authenticated",
        detail: "Wrong user name or password",
      };
    return { ok: true, user: outcome.user };
  }
  const token = readCookie(request.headers.get("cookie"), sessionCookie);
  const sysId = token ? await deps.sessions.userOf(token) : null;
  const user = sysId ? await deps.users.toAuthUser(sysId, "session") : null;
  if (!user) {
    return {
      ok: false,
      status: 401,
      message: "User Not Authenticated",
      detail: "Required to provide Auth information (HTTP Basic or a session)",
    };
  }
  if (!["GET", "HEAD", "OPTIONS"].includes(request.method) && !sameOrigin(request)) {
    return {
      ok: false,
      status: 403,
      message: "Cross-origin request refused",
      detail: "Origin does not match this instance",
    };
  }
  return { ok: true, user };
}

function sameOrigin(request: AuthRequest): boolean {
  const origin = request.headers.get("origin");
  if (!origin) return request.headers.get("sec-fetch-site") !== "cross-site";
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

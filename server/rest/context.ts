import { authenticate } from "../auth/authenticate";
import type { AuthUser } from "../auth/roles";
import type { Instance } from "../instance/instance";
import type { Actor } from "../records/types";
import { requireTableApi } from "./access";
import { ApiError } from "./responses";

/** What every REST handler works with: the instance, the caller, and the request. */
export interface RestContext {
  request: Request;
  url: URL;
  inst: Instance;
  user: AuthUser;
  /** Written into the audit trail and captures; "api" for Basic callers, "ui" for the browser. */
  actor: Actor;
  /** Public base URL of this instance (no trailing slash), for links in responses. */
  baseUrl: string;
}

/** Authenticates the caller (401 / 403) and checks that it may use the Table API at all. */
export async function restContext(request: Request, inst: Instance): Promise<RestContext> {
  const auth = await authenticate(request, inst);
  if (!auth.ok)
    throw new ApiError(
      auth.status,
      auth.message,
      auth.detail,
      auth.status === 429 ? { "Retry-After": String(auth.retryAfterSeconds) } : {},
    );
  requireTableApi(auth.user);
  return {
    request,
    url: new URL(request.url),
    inst,
    user: auth.user,
    actor: { userName: auth.user.userName, origin: auth.user.via === "basic" ? "api" : "ui" },
    baseUrl: inst.config.publicUrl.replace(/\/+$/, ""),
  };
}

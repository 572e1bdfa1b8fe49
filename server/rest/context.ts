import type { AttachmentService } from "../attachments/attachment-service";
import { authenticate } from "../auth/authenticate";
import type { AuthUser } from "../auth/roles";
import type { SessionStore } from "../auth/sessions";
import type { SignInGuard } from "../auth/sign-in-guard";
import type { UserDirectory } from "../auth/users";
import type { InstanceConfig } from "../config/env";
import type { ApiRequest } from "../http/api-request";
import { ApiError } from "../http/responses";
import type { Logger } from "../log/logger";
import type { RecordService } from "../records/record-service";
import type { Actor } from "../records/types";
import type { TableRegistry } from "../tables/registry";
import { requireTableApi } from "./access";

/**
 * What the REST handlers use of the instance (the composition root hands in the instance
 * itself; this folder never imports it).
 */
export interface RestDeps {
  config: InstanceConfig;
  logger: Logger;
  registry: TableRegistry;
  records: RecordService;
  attachments: AttachmentService;
  users: UserDirectory;
  signIns: SignInGuard;
  sessions: SessionStore;
}

/** What every REST handler works with: the instance, the caller, and the request. */
export interface RestContext {
  request: ApiRequest;
  url: URL;
  inst: RestDeps;
  user: AuthUser;
  /** Written into the audit trail and captures; "api" for Basic callers, "ui" for the browser. */
  actor: Actor;
  /** Public base URL of this instance (no trailing slash), for links in responses. */
  baseUrl: string;
}

/** Authenticates the caller (401 / 403) and checks that it may use the Table API at all. */
export async function restContext(request: ApiRequest, inst: RestDeps): Promise<RestContext> {
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

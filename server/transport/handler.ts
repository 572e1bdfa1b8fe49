import type { z } from "zod";
import { parseBasic } from "../auth/authenticate";
import { type SignInGuard, throttledMessage } from "../auth/sign-in-guard";
import type { UserDirectory } from "../auth/users";
import { storageProblems } from "../db/storage";
import type { ApiRequest } from "../http/api-request";
import { readLimited } from "../http/body";
import { type Answer, ApiError, errorReply, errorResponse, JsonReply } from "../http/responses";
import type { Logger } from "../log/logger";
import { metrics } from "../observability/metrics";
import {
  describeZodError,
  type MessageResult,
  messageBatchSchema,
  traceContextSchema,
  validateRequestSchema,
} from "../protocol/wire-schema";
import type { InboundAcceptor } from "../queue/inbound/accept";
import type { RemoteSystemRow, SyncConfig } from "../sync/config-store";
import { sign, signatureHeaders, verify } from "./signing";

export interface SyncApiDeps {
  config: SyncConfig;
  users: UserDirectory;
  signIns: SignInGuard;
  acceptor: InboundAcceptor;
  logger: Logger;
  maxBodyBytes: number;
  maxAttachmentBytes: number;
  /** Ready inbound rows above which new batches get 429 (back-pressure). */
  backlogLimit: number;
  backlog: () => Promise<number>;
  instanceName: string;
}

interface Authenticated {
  remote: RemoteSystemRow;
  body: string;
}

/**
 * Who is calling: HTTP Basic as a sync_api user that is some remote system's inbound API user.
 * Every failure is 401 with the reason; nothing is stored.
 */
export async function authenticatePeer(
  request: ApiRequest,
  deps: Pick<SyncApiDeps, "signIns" | "config">,
): Promise<RemoteSystemRow> {
  const credentials = parseBasic(request.headers.get("authorization"));
  if (!credentials) throw new ApiError(401, "User Not Authenticated", "HTTP Basic credentials are required");
  const outcome = await deps.signIns.attempt(credentials.userName, credentials.password, {
    headers: request.headers,
    via: "basic",
  });
  if (!outcome.ok && outcome.reason === "throttled") {
    throw new ApiError(429, "Too Many Requests", throttledMessage(outcome.retryAfterSeconds), {
      "Retry-After": String(outcome.retryAfterSeconds),
    });
  }
  if (!outcome.ok) throw new ApiError(401, "User Not Authenticated", "Wrong user name or password");
  const user = outcome.user;
  if (!user.roles.has("sync_api")) {
    throw new ApiError(401, "User Not Authenticated", `${user.userName} is not a sync_api user`);
  }
  const remote = deps.config.remoteForApiUser(user.sysId);
  if (!remote) {
    throw new ApiError(
      401,
      "Unknown remote system",
      `No remote system has ${user.userName} as its inbound API user`,
    );
  }
  return remote;
}

/** Checks the Standard Webhooks signature of `signed` with the pair's secret; 401 when it fails. */
export function verifyPeerSignature(
  request: ApiRequest,
  deps: Pick<SyncApiDeps, "config">,
  remote: RemoteSystemRow,
  signed: string,
): void {
  const headers = signatureHeaders((n) => request.headers.get(n));
  if (!headers) {
    throw new ApiError(
      401,
      "Signature required",
      "webhook-id, webhook-timestamp and webhook-signature are required",
    );
  }
  try {
    verify(deps.config.credentials(remote.id).signingSecret, signed, { ...headers });
  } catch (error) {
    throw new ApiError(
      401,
      "Invalid signature",
      error instanceof Error ? error.message : "Signature does not verify",
    );
  }
}

/**
 * Who is calling and is the body theirs: size limit first (413 before reading past it), then
 * the peer's credentials, then the signature over the body.
 */
export async function authenticateSync(request: ApiRequest, deps: SyncApiDeps): Promise<Authenticated> {
  const bytes = await readLimited(request, deps.maxBodyBytes, "Request body");
  const remote = await authenticatePeer(request, deps);
  const body = Buffer.from(bytes).toString("utf8");
  verifyPeerSignature(request, deps, remote, body);
  return { remote, body };
}

/**
 * A signed JSON call of the paired instance (the initial sync report and control, template
 * sets): authenticated like the messages, its body validated by `schema` (400 naming the field
 * otherwise), answered as JSON; refusals are answered with their status and message.
 */
export async function answerSignedJson<S extends z.ZodType>(
  request: Request,
  deps: SyncApiDeps,
  what: string,
  schema: S,
  answer: (remote: RemoteSystemRow, input: z.infer<S>) => Promise<unknown>,
): Promise<Response> {
  try {
    const { remote, body } = await authenticateSync(request, deps);
    const parsed = schema.safeParse(parseJson(body));
    if (!parsed.success) throw new ApiError(400, `Invalid ${what} request`, describeZodError(parsed.error));
    return Response.json(await answer(remote, parsed.data));
  } catch (error) {
    return errorResponse(error, (e) => deps.logger.error({ err: e }, `${what} request failed`));
  }
}

export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new ApiError(
      400,
      "Malformed JSON in request body",
      error instanceof Error ? error.message : String(error),
    );
  }
}

/**
 * POST /api/sync/v1/messages (SPEC 3.3). Read as an ApiRequest and answered as a JsonReply: the
 * direct route (server/instance/direct-routes.ts) passes the node:http request as it is, since
 * building a web Request and reading its body stream was a third of a message's time from the
 * socket to its accept at idle (about 0.4 of 1.3 ms); Next's route passes its web Request.
 */
export async function handleMessages(request: ApiRequest, deps: SyncApiDeps): Promise<Answer> {
  const t0 = performance.now();
  let remoteName = "unknown";
  const response = await receiveMessages(request, deps, (name, size) => {
    remoteName = name;
    metrics().wireBatch.labels("receiver", name).observe(size);
  });
  metrics()
    .wireRequest.labels("receiver", remoteName, String(response.status))
    .observe((performance.now() - t0) / 1000);
  return response;
}

async function receiveMessages(
  request: ApiRequest,
  deps: SyncApiDeps,
  received: (remoteName: string, batchSize: number) => void,
): Promise<Answer> {
  try {
    const { remote, body } = await authenticateSync(request, deps);
    const parsed = messageBatchSchema.safeParse(parseJson(body));
    if (!parsed.success) throw new ApiError(400, "Invalid message batch", describeZodError(parsed.error));
    received(remote.name, parsed.data.messages.length);
    if ((await deps.backlog()) > deps.backlogLimit) {
      throw new ApiError(429, "Too many messages waiting", "The inbound queue is full; retry later", {
        "Retry-After": "2",
      });
    }
    const traceparent = request.headers.get("traceparent");
    const requestTrace =
      traceparent && traceContextSchema.shape.traceparent.safeParse(traceparent).success
        ? { traceparent }
        : undefined;
    const results: MessageResult[] = await deps.acceptor.accept(
      remote.id,
      parsed.data.messages,
      remote.domain,
      requestTrace,
    );
    return new JsonReply(200, JSON.stringify({ results }), { "cache-control": "no-store" });
  } catch (error) {
    return errorReply(error, (e) => deps.logger.error({ err: e }, "sync messages failed"));
  }
}

/**
 * POST /api/sync/v1/validate: the peer's half of Validate and Activate. Passing means the caller
 * can deliver to us, so our inbound state for it becomes active. The answer is signed with the
 * pair's secret so the caller verifies us too (check 4, both ways).
 */
export async function handleValidate(request: Request, deps: SyncApiDeps): Promise<Response> {
  try {
    const { remote, body } = await authenticateSync(request, deps);
    const parsed = validateRequestSchema.safeParse(parseJson(body));
    if (!parsed.success) throw new ApiError(400, "Invalid validate request", describeZodError(parsed.error));
    const { caller_remote_system_id, expected_remote_system_id } = parsed.data;
    // A receiver that cannot store what it accepts must not be activated, even when this one
    // small write would still fit: refuse as the message endpoint does (503, storage full).
    if (storageProblems().includes("storage full"))
      throw Object.assign(new Error("The data folder is full"), { code: "SQLITE_FULL" });
    let answer: { ok: boolean; check?: string; message: string; instance: string };
    if (remote.id !== expected_remote_system_id) {
      answer = {
        ok: false,
        check: "ids",
        message: `The external id ${expected_remote_system_id} does not match remote system ${remote.name} (${remote.id}) on ${deps.instanceName}`,
        instance: deps.instanceName,
      };
    } else if (remote.externalId !== caller_remote_system_id) {
      answer = {
        ok: false,
        check: "ids",
        message: `Remote system ${remote.name} on ${deps.instanceName} has external id "${remote.externalId}", expected ${caller_remote_system_id}`,
        instance: deps.instanceName,
      };
    } else {
      await deps.config.setRemoteState(remote.id, { inbound: "active", message: "Validated by the peer" });
      answer = {
        ok: true,
        message: `${deps.instanceName} accepts messages from this instance`,
        instance: deps.instanceName,
      };
    }
    const text = JSON.stringify(answer);
    const secret = deps.config.credentials(remote.id).signingSecret;
    const headers = sign(secret, `validate-${Date.now()}`, text);
    return new Response(text, {
      headers: { "Content-Type": "application/json", "Cache-Control": "no-store", ...headers },
    });
  } catch (error) {
    return errorResponse(error, (e) => deps.logger.error({ err: e }, "sync validate failed"));
  }
}

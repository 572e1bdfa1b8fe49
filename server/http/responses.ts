import { noteStorageError, retryAfterSeconds, storageMessage } from "../db/storage";

// The REST envelope of ServiceNow's Table API: `{ result }` on success and
// `{ error: { message, detail }, status: "failure" }` on failure, so existing clients parse both.

export type ApiStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 429 | 500 | 503;

/** A failure the REST layer answers directly (RecordError covers the record service's own). */
export class ApiError extends Error {
  constructor(
    readonly status: ApiStatus,
    message: string,
    readonly detail = "",
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

const noStore = { "Cache-Control": "no-store" };

/**
 * A JSON answer before it is a web Response: the direct routes (server/instance/direct-routes.ts)
 * write it to node:http as it is (building a Response and reading its body back cost about 20 µs
 * of a Table API create's CPU); `toResponse` makes the Response Next's routes return. Header
 * names are lower case, as a Response's Headers has them.
 */
export class JsonReply {
  readonly headers: Record<string, string>;

  constructor(
    readonly status: number,
    /** The body, serialised. */
    readonly body: string,
    headers: Record<string, string>,
  ) {
    this.headers = { "content-type": "application/json" };
    for (const [name, value] of Object.entries(headers)) this.headers[name.toLowerCase()] = value;
  }
}

/** What a REST handler answers: a JSON reply, or a Response (no content, attachment downloads). */
export type Answer = Response | JsonReply;

export function toResponse(answer: Answer): Response {
  if (answer instanceof Response) return answer;
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}

export function resultReply(
  result: unknown,
  init: { status?: number; headers?: Record<string, string> } = {},
): JsonReply {
  return new JsonReply(init.status ?? 200, JSON.stringify({ result }), { ...init.headers, ...noStore });
}

export function resultResponse(
  result: unknown,
  init: { status?: number; headers?: Record<string, string> } = {},
): Response {
  return toResponse(resultReply(result, init));
}

export function noContent(): Response {
  return new Response(null, { status: 204, headers: noStore });
}

export function failureReply(
  status: number,
  message: string,
  detail = "",
  headers: Record<string, string> = {},
): JsonReply {
  return new JsonReply(status, JSON.stringify({ error: { message, detail }, status: "failure" }), {
    ...noStore,
    ...headers,
  });
}

export function failure(
  status: number,
  message: string,
  detail = "",
  headers: Record<string, string> = {},
): Response {
  return toResponse(failureReply(status, message, detail, headers));
}

/**
 * Maps anything thrown by a handler to a failure response. Known errors carry their status and
 * text; storage trouble (disk full, database busy, I/O error) is 503 with Retry-After and a
 * message naming the cause, so peers and clients retry instead of giving up; anything else is a
 * bug: it is logged in full and the caller sees a generic 500, so internals (SQL, paths) never leak.
 * This is the one place wire, Table API and attachment routes map errors.
 */
export function errorResponse(error: unknown, log: (error: unknown) => void): Response {
  return toResponse(errorReply(error, log));
}

/** `errorResponse` as a JsonReply. */
export function errorReply(error: unknown, log: (error: unknown) => void): JsonReply {
  if (isCallerError(error))
    return failureReply(error.status, error.message, error.detail ?? "", error.headers ?? {});
  const problem = noteStorageError(error);
  if (problem) {
    const { message, detail } = storageMessage[problem];
    return failureReply(503, message, detail, { "Retry-After": String(retryAfterSeconds[problem]) });
  }
  log(error);
  return failureReply(500, "Internal server error", "The error was logged on the instance");
}

interface CallerError {
  status: number;
  message: string;
  detail?: string;
  headers?: Record<string, string>;
}

/**
 * ApiError or RecordError, recognised by name rather than instanceof: Next.js may load
 * server/records in more than one bundle (the instance is booted from instrumentation), so the
 * RecordError class a service throws need not be the one this module imports.
 */
function isCallerError(error: unknown): error is CallerError {
  return (
    error instanceof Error &&
    (error.name === "ApiError" || error.name === "RecordError") &&
    typeof (error as Partial<CallerError>).status === "number"
  );
}

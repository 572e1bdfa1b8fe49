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

export function resultResponse(
  result: unknown,
  init: { status?: number; headers?: HeadersInit } = {},
): Response {
  const headers = new Headers(init.headers);
  for (const [k, v] of Object.entries(noStore)) headers.set(k, v);
  return Response.json({ result }, { status: init.status ?? 200, headers });
}

export function noContent(): Response {
  return new Response(null, { status: 204, headers: noStore });
}

export function failure(
  status: number,
  message: string,
  detail = "",
  headers: Record<string, string> = {},
): Response {
  return Response.json(
    { error: { message, detail }, status: "failure" },
    { status, headers: { ...noStore, ...headers } },
  );
}

/**
 * Maps anything thrown by a handler to a failure response. Known errors carry their status and
 * text; storage trouble (disk full, database busy, I/O error) is 503 with Retry-After and a
 * message naming the cause, so peers and clients retry instead of giving up; anything else is a
 * bug: it is logged in full and the caller sees a generic 500, so internals (SQL, paths) never leak.
 * This is the one place wire, Table API and attachment routes map errors.
 */
export function errorResponse(error: unknown, log: (error: unknown) => void): Response {
  if (isCallerError(error))
    return failure(error.status, error.message, error.detail ?? "", error.headers ?? {});
  const problem = noteStorageError(error);
  if (problem) {
    const { message, detail } = storageMessage[problem];
    return failure(503, message, detail, { "Retry-After": String(retryAfterSeconds[problem]) });
  }
  log(error);
  return failure(500, "Internal server error", "The error was logged on the instance");
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

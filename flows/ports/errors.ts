/**
 * Errors that cross the port boundary. `retriable` tells the queue worker whether to retry by
 * the remote's retry policy (connection trouble) or to stop the row as a data error.
 * Retriable errors never follow a node's `error` port: retrying is the queue's job.
 */
export class FlowError extends Error {
  readonly code: string;
  readonly retriable: boolean;
  readonly field: string | undefined;

  constructor(
    code: string,
    message: string,
    opts: { retriable?: boolean; field?: string; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.retriable = opts.retriable ?? false;
    this.field = opts.field;
  }
}

/** Connection refused, timeout, 5xx, 429: try again later. */
export class RetriableError extends FlowError {
  readonly retryAfterMs: number | undefined;
  constructor(message: string, opts: { code?: string; retryAfterMs?: number; cause?: unknown } = {}) {
    super(opts.code ?? "RETRIABLE", message, { retriable: true, cause: opts.cause });
    this.retryAfterMs = opts.retryAfterMs;
  }
}

/** The data is wrong (validation, 4xx, rejected message): retrying will not help. */
export class DataError extends FlowError {
  constructor(message: string, opts: { code?: string; field?: string; cause?: unknown } = {}) {
    super(opts.code ?? "DATA_ERROR", message, opts);
  }
}

/** A record write failed validation; the message names the field. */
export class RecordValidationError extends DataError {
  constructor(field: string, message: string) {
    super(message, { code: "RECORD_INVALID", field });
  }
}

export class NotFoundError extends DataError {
  constructor(message: string) {
    super(message, { code: "NOT_FOUND" });
  }
}

/** Normalise anything thrown into `{ message, code, retriable }` for the journal. */
export function describeError(err: unknown): {
  message: string;
  code: string;
  retriable: boolean;
  field?: string;
} {
  if (err instanceof FlowError) {
    return {
      message: err.message,
      code: err.code,
      retriable: err.retriable,
      ...(err.field === undefined ? {} : { field: err.field }),
    };
  }
  if (err instanceof Error) return { message: err.message, code: "INTERNAL", retriable: false };
  if (err !== null && typeof err === "object" && "message" in err) {
    const e = err as { message: unknown; code?: unknown };
    return {
      message: String(e.message),
      code: typeof e.code === "string" ? e.code : "INTERNAL",
      retriable: false,
    };
  }
  return { message: String(err), code: "INTERNAL", retriable: false };
}

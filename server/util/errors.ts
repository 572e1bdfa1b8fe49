/** A failure a caller can fix; carries the HTTP status the APIs answer with. */
export class RecordError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 429,
    message: string,
    readonly detail = "",
    readonly field?: string,
  ) {
    super(message);
    this.name = "RecordError";
  }
}

export const badRequest = (message: string, detail = "", field?: string) =>
  new RecordError(400, message, detail, field);
export const notFound = (message: string, detail = "") => new RecordError(404, message, detail);

/**
 * Whether `error` is a RecordError, recognised by name rather than instanceof: Next.js loads
 * server modules in more than one bundle (the instance is booted from instrumentation), so the
 * RecordError class a service throws need not be the one the caller imports.
 */
export function isRecordError(error: unknown): error is RecordError {
  return (
    error instanceof Error &&
    error.name === "RecordError" &&
    typeof (error as Partial<RecordError>).status === "number"
  );
}

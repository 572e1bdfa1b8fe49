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

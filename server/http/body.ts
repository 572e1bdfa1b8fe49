import type { ApiRequest } from "./api-request";
import { ApiError } from "./responses";

// Request bodies are read with a hard byte limit: first from Content-Length (so an honest client
// with a huge body is refused before a byte is read), then while streaming (so a chunked or
// lying client cannot make us buffer more than the limit).

/** 413 when the declared length is over the limit; the declared length (or null when absent). */
export function checkDeclaredLength(request: ApiRequest, maxBytes: number, what: string): number | null {
  const header = request.headers.get("content-length");
  if (header === null) return null;
  const declared = Number(header);
  if (!Number.isSafeInteger(declared) || declared < 0) {
    throw new ApiError(400, "Invalid Content-Length", `"${header}" is not a byte count`);
  }
  if (declared > maxBytes) throw tooLarge(what, maxBytes);
  return declared;
}

export function tooLarge(what: string, maxBytes: number): ApiError {
  return new ApiError(413, `${what} too large`, `The limit is ${maxBytes} bytes`);
}

const fullyRead = new WeakSet<ApiRequest>();

/**
 * Whether the request has no body or it was read to the end. When an answer goes out before
 * that (an early 4xx), the connection must close: the unread rest of the body would otherwise
 * be taken as the next request on a kept-alive connection.
 */
export function bodyFullyRead(request: ApiRequest): boolean {
  return request.body === null || fullyRead.has(request);
}

/** The body as chunks, for consumers that stream (attachments); they enforce their own limit. */
export async function* bodyChunks(request: ApiRequest): AsyncGenerator<Uint8Array> {
  if (!request.body) return;
  if (!(request.body instanceof ReadableStream)) {
    // A node:http body (server/http/api-request.ts): giving up early stops reading it.
    yield* request.body.chunks();
    fullyRead.add(request);
    return;
  }
  const reader = request.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        fullyRead.add(request);
        return;
      }
      yield value;
    }
  } finally {
    // Stops the upload when the consumer gives up early (413): nothing more is read.
    await reader.cancel().catch(() => undefined);
  }
}

/** Reads the whole body, refusing (413) as soon as it passes maxBytes. */
export async function readLimited(request: ApiRequest, maxBytes: number, what: string): Promise<Uint8Array> {
  checkDeclaredLength(request, maxBytes, what);
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of bodyChunks(request)) {
    size += chunk.byteLength;
    if (size > maxBytes) throw tooLarge(what, maxBytes);
    parts.push(chunk);
  }
  return parts.length === 1 && parts[0] ? parts[0] : Buffer.concat(parts, size);
}

// Only JSON is accepted. Refusing form and text/plain bodies also refuses the "simple" cross-site
// requests a browser sends without a CORS preflight.
function isJsonType(contentType: string | null): boolean {
  if (contentType === null || contentType.trim() === "") return true;
  const type = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  return type === "application/json" || (type.startsWith("application/") && type.endsWith("+json"));
}

/** Reads a JSON object body: 415 for other media types, 400 for malformed JSON or a non-object. */
export async function readJsonObject(
  request: ApiRequest,
  maxBytes: number,
): Promise<Record<string, unknown>> {
  if (!isJsonType(request.headers.get("content-type"))) {
    throw new ApiError(
      415,
      "Unsupported Media Type",
      `Content-Type ${request.headers.get("content-type")} is not supported; send application/json`,
    );
  }
  const bytes = await readLimited(request, maxBytes, "Request body");
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ApiError(400, "Malformed JSON in request body", "The body is not valid UTF-8");
  }
  if (text.trim() === "") {
    throw new ApiError(400, "Request body is empty", "Send a JSON object with the field values");
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ApiError(
      400,
      "Malformed JSON in request body",
      error instanceof Error ? error.message : String(error),
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    const kind = parsed === null ? "null" : Array.isArray(parsed) ? "an array" : `a ${typeof parsed}`;
    throw new ApiError(400, "Request body must be a JSON object", `Got ${kind}`);
  }
  return parsed as Record<string, unknown>;
}

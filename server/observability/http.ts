import { metrics } from "./metrics";

/**
 * Times an API route handler into the HTTP histogram under its route pattern (never the raw
 * path: ids in paths would make a label value per record). `route` may be a function of the
 * request for handlers that serve several patterns (the Table API).
 */
export function timedRoute<
  A extends unknown[],
  R extends { method: string } = Request,
  T extends { status: number } = Response,
>(
  route: string | ((request: R, ...rest: A) => string | Promise<string>),
  handler: (request: R, ...rest: A) => Promise<T>,
): (request: R, ...rest: A) => Promise<T> {
  return async (request, ...rest) => {
    const t0 = performance.now();
    let status = 500;
    try {
      const response = await handler(request, ...rest);
      status = response.status;
      return response;
    } finally {
      const pattern = typeof route === "string" ? route : await route(request, ...rest);
      metrics()
        .http.labels(pattern, request.method, String(status))
        .observe((performance.now() - t0) / 1000);
    }
  };
}

/** The route pattern of a Table or Attachment API path (the segments after /api/now). */
export function nowRoutePattern(segments: readonly string[]): string {
  const [first, ...rest] = segments;
  const version = first === "v1" || first === "v2" ? `/${first}` : "";
  const [kind, ...tail] = version ? rest : segments;
  const base = `/api/now${version}`;
  if (kind === "table") {
    if (tail.length === 1) return `${base}/table/{table}`;
    if (tail.length === 2) return `${base}/table/{table}/{sys_id}`;
  }
  if (kind === "attachment") {
    if (tail.length === 0) return `${base}/attachment`;
    if (tail.length === 1)
      return tail[0] === "file" ? `${base}/attachment/file` : `${base}/attachment/{sys_id}`;
    if (tail.length === 2 && tail[1] === "file") return `${base}/attachment/{sys_id}/file`;
  }
  return `${base}/{unknown}`;
}

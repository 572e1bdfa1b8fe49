import { createHash, timingSafeEqual } from "node:crypto";
import { authenticate } from "../auth/authenticate";
import type { InstanceConfig } from "../config/env";
import { metrics } from "../observability/metrics";
import { failure } from "./responses";

const roles = ["admin", "sync_admin"];

/** What the endpoint needs of the instance: its metrics settings and who may sign in. */
type MetricsDeps = Parameters<typeof authenticate>[1] & { config: Pick<InstanceConfig, "metrics"> };

/**
 * GET /metrics (Prometheus text format). With TANDEM_METRICS_TOKEN set, only that bearer token
 * opens it (what a Prometheus scrape config holds); without one, an admin or sync admin may
 * read it with their credentials. TANDEM_METRICS=off answers 404.
 */
export async function handleMetrics(request: Request, inst: MetricsDeps): Promise<Response> {
  const { enabled, token } = inst.config.metrics;
  if (!enabled) return failure(404, "Not found", "Metrics are off on this instance (TANDEM_METRICS=off)");
  const denied = token ? checkToken(request, token) : await checkUser(request, inst);
  if (denied) return denied;
  const registry = metrics().registry;
  return new Response(await registry.metrics(), {
    headers: { "Content-Type": registry.contentType, "Cache-Control": "no-store" },
  });
}

function checkToken(request: Request, token: string): Response | null {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(.+)$/i.exec(header);
  // Compared as digests: equal length, constant time, whatever was sent.
  const digest = (v: string) => createHash("sha256").update(v).digest();
  if (match?.[1] && timingSafeEqual(digest(match[1].trim()), digest(token))) return null;
  return failure(401, "User Not Authenticated", "A valid bearer token is required", {
    "WWW-Authenticate": 'Bearer realm="metrics"',
  });
}

async function checkUser(request: Request, inst: MetricsDeps): Promise<Response | null> {
  const auth = await authenticate(request, inst);
  if (!auth.ok) return failure(auth.status, auth.message, auth.detail);
  if (!roles.some((r) => auth.user.roles.has(r)))
    return failure(403, "Forbidden", "Reading metrics needs the admin or sync_admin role");
  return null;
}

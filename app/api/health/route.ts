import { storageProblems } from "@/server/db/storage";
import { instance } from "@/server/instance/instance";
import { timedRoute } from "@/server/observability/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * Liveness and identity: answers once migrations ran and workers started (no authentication).
 * `{ status: "ok" }` (200) when healthy; `{ status: "degraded", problems: [...] }` (503) while
 * something stops it from storing (e.g. "storage full"), so load balancers and peers back off.
 */
export const GET = timedRoute("/api/health", async function get() {
  const inst = await instance();
  const identity = { instance: inst.config.instance, instance_id: inst.instanceId, version: inst.version };
  const problems = storageProblems(inst.config.dataDir);
  if (problems.length > 0)
    return Response.json(
      { status: "degraded", problems, ...identity },
      { status: 503, headers: { "Retry-After": "10", "Cache-Control": "no-store" } },
    );
  return Response.json({ status: "ok", ...identity }, { headers: { "Cache-Control": "no-store" } });
});

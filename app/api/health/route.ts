import { instance } from "@/server/instance/instance";
import { timedRoute } from "@/server/observability/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Liveness and identity: answers once migrations ran and workers started (no authentication). */
export const GET = timedRoute("/api/health", async function get() {
  const inst = await instance();
  return Response.json({
    status: "ok",
    instance: inst.config.instance,
    instance_id: inst.instanceId,
    version: inst.version,
  });
});

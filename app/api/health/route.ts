import { instance } from "@/server/instance/instance";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Liveness and identity: answers once migrations ran and workers started (no authentication). */
export async function GET() {
  const inst = await instance();
  return Response.json({
    status: "ok",
    instance: inst.config.instance,
    instance_id: inst.instanceId,
    version: inst.version,
  });
}

import { instance } from "@/server/instance/instance";
import { timedRoute } from "@/server/observability/http";
import { handleValidate } from "@/server/transport/handler";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The peer's half of Validate and Activate (SPEC 2, 3.3). */
export const POST = timedRoute("/api/sync/v1/validate", async function post(request: Request) {
  const inst = await instance();
  return handleValidate(request, inst.sync.api);
});

import { toResponse } from "@/server/http/responses";
import { instance } from "@/server/instance/instance";
import { timedRoute } from "@/server/observability/http";
import { handleMessages } from "@/server/transport/handler";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Instance-to-instance messages (SPEC 3.3). */
export const POST = timedRoute("/api/sync/v1/messages", async function post(request: Request) {
  const inst = await instance();
  return toResponse(await handleMessages(request, inst.sync.api));
});

import { handleAttachmentRequest } from "@/server/attachments/transfer/handlers";
import { instance } from "@/server/instance/instance";
import { timedRoute } from "@/server/observability/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The receiver asks this instance for attachments by their synthetic keys (SPEC 3.6). */
export const POST = timedRoute("/api/sync/v1/attachments/request", async function post(request: Request) {
  const inst = await instance();
  return handleAttachmentRequest(request, inst.sync.attachmentApi);
});

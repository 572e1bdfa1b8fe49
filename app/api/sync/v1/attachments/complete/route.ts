import { handleAttachmentComplete } from "@/server/attachments/transfer/handlers";
import { instance } from "@/server/instance/instance";
import { timedRoute } from "@/server/observability/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The sender pushed every requested file: move them to the record (SPEC 3.6). */
export const POST = timedRoute("/api/sync/v1/attachments/complete", async function post(request: Request) {
  const inst = await instance();
  return handleAttachmentComplete(request, inst.sync.attachmentApi);
});

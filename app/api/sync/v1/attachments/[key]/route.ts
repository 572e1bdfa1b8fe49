import { handleAttachmentPut } from "@/server/attachments/transfer/handlers";
import { instance } from "@/server/instance/instance";
import { timedRoute } from "@/server/observability/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The bytes of one requested attachment, pushed by the sender (SPEC 3.6). */
export const PUT = timedRoute(
  "/api/sync/v1/attachments/{key}",
  async function put(request: Request, context: { params: Promise<{ key: string }> }) {
    const inst = await instance();
    // Next.js has already decoded the segment; decoding again would change a key holding "%" and
    // throw (500) on one like "%zz".
    const { key } = await context.params;
    return handleAttachmentPut(request, key, inst.sync.attachmentApi);
  },
);

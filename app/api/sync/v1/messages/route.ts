import { instance } from "@/server/instance/instance";
import { handleMessages } from "@/server/transport/handler";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Instance-to-instance messages (SPEC 3.3). */
export async function POST(request: Request) {
  const inst = await instance();
  return handleMessages(request, inst.sync.api);
}

import { instance } from "@/server/instance/instance";
import { handleValidate } from "@/server/transport/handler";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The peer's half of Validate and Activate (SPEC 2, 3.3). */
export async function POST(request: Request) {
  const inst = await instance();
  return handleValidate(request, inst.sync.api);
}

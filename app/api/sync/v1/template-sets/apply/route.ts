import { instance } from "@/server/instance/instance";
import { timedRoute } from "@/server/observability/http";
import { handleTemplateSetApply } from "@/server/template-sets/peer-api";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The paired instance applies its half of a template set here (issue 17). */
export const POST = timedRoute("/api/sync/v1/template-sets/apply", async function post(request: Request) {
  const inst = await instance();
  return handleTemplateSetApply(request, inst.sync.templateSetApi);
});

import { ApiError, errorResponse } from "../http/responses";
import { describeZodError } from "../protocol/wire-schema";
import { authenticateSync, parseJson, type SyncApiDeps } from "../transport/handler";
import { peerApplySchema, type TemplateSets } from "./template-sets";

// POST /api/sync/v1/template-sets/apply (issue 17): the paired instance asks this one to apply
// its half of a template set. Authenticated like the messages (HTTP Basic as the peer's inbound
// user plus a Standard Webhooks signature): only a paired instance can, and only for itself.

export interface TemplateSetApiDeps extends SyncApiDeps {
  templateSets: TemplateSets;
}

export async function handleTemplateSetApply(request: Request, deps: TemplateSetApiDeps): Promise<Response> {
  try {
    const { remote, body } = await authenticateSync(request, deps);
    const parsed = peerApplySchema.safeParse(parseJson(body));
    if (!parsed.success)
      throw new ApiError(400, "Invalid template set request", describeZodError(parsed.error));
    return Response.json(await deps.templateSets.applyForPeer(remote, parsed.data));
  } catch (error) {
    return errorResponse(error, (e) => deps.logger.error({ err: e }, "template set request failed"));
  }
}

import { answerSignedJson, type SyncApiDeps } from "../transport/handler";
import { peerApplySchema, type TemplateSets } from "./template-sets";

// POST /api/sync/v1/template-sets/apply (issue 17): the paired instance asks this one to apply
// its half of a template set. Authenticated like the messages (HTTP Basic as the peer's inbound
// user plus a Standard Webhooks signature): only a paired instance can, and only for itself.

export interface TemplateSetApiDeps extends SyncApiDeps {
  templateSets: TemplateSets;
}

export function handleTemplateSetApply(request: Request, deps: TemplateSetApiDeps): Promise<Response> {
  return answerSignedJson(request, deps, "template set", peerApplySchema, (remote, input) =>
    deps.templateSets.applyForPeer(remote, input),
  );
}

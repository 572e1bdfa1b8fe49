import { answerSignedJson, type SyncApiDeps } from "../transport/handler";
import type { InitialSync } from "./initial-sync";
import { controlRequest } from "./pull";

// POST /api/sync/v1/initial-sync/control (issue 17): the paired instance brings this one's
// records across to itself. It previews, starts, follows, pauses, resumes or cancels a job that
// runs here and sends to it; it can see and move only jobs that send to it. Authenticated like
// the messages (HTTP Basic as the peer's inbound user plus a Standard Webhooks signature).

export interface ControlApiDeps extends SyncApiDeps {
  initialSync: InitialSync;
}

export function handleInitialSyncControl(request: Request, deps: ControlApiDeps): Promise<Response> {
  return answerSignedJson(request, deps, "initial sync control", controlRequest, (remote, input) =>
    deps.initialSync.answerControl(remote, input),
  );
}

import { ApiError, errorResponse } from "../http/responses";
import { describeZodError } from "../protocol/wire-schema";
import { authenticateSync, parseJson, type SyncApiDeps } from "../transport/handler";
import type { InitialSync } from "./initial-sync";
import { controlRequest } from "./pull";

// POST /api/sync/v1/initial-sync/control (issue 17): the paired instance brings this one's
// records across to itself. It previews, starts, follows, pauses, resumes or cancels a job that
// runs here and sends to it; it can see and move only jobs that send to it. Authenticated like
// the messages (HTTP Basic as the peer's inbound user plus a Standard Webhooks signature).

export interface ControlApiDeps extends SyncApiDeps {
  initialSync: InitialSync;
}

export async function handleInitialSyncControl(request: Request, deps: ControlApiDeps): Promise<Response> {
  try {
    const { remote, body } = await authenticateSync(request, deps);
    const parsed = controlRequest.safeParse(parseJson(body));
    if (!parsed.success)
      throw new ApiError(400, "Invalid initial sync control request", describeZodError(parsed.error));
    return Response.json(await deps.initialSync.answerControl(remote, parsed.data));
  } catch (error) {
    return errorResponse(error, (e) => deps.logger.error({ err: e }, "initial sync control request failed"));
  }
}

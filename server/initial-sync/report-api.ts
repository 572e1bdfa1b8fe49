import { z } from "zod";
import { ApiError, errorResponse } from "../http/responses";
import { describeZodError } from "../protocol/wire-schema";
import { authenticateSync, parseJson, type SyncApiDeps } from "../transport/handler";
import type { InitialSyncReceiver } from "./receiver";

// POST /api/sync/v1/initial-sync/report (issue 17): the sender of an initial sync asks how far
// the receiver is with one of its jobs, and at the end for the report. Authenticated like the
// messages (HTTP Basic as the peer's inbound user plus a Standard Webhooks signature); a peer
// sees only the outcomes of its own messages.

export interface ReportApiDeps extends SyncApiDeps {
  initialSync: InitialSyncReceiver;
}

const requestSchema = z.object({
  job_id: z.string().min(1).max(100),
  report: z.boolean().default(false),
});

/** Records listed per outcome in a report. */
export const REPORT_ITEMS = 200;

export async function handleInitialSyncReport(request: Request, deps: ReportApiDeps): Promise<Response> {
  try {
    const { remote, body } = await authenticateSync(request, deps);
    const parsed = requestSchema.safeParse(parseJson(body));
    if (!parsed.success)
      throw new ApiError(400, "Invalid initial sync report request", describeZodError(parsed.error));
    const { job_id, report } = parsed.data;
    const progress = await deps.initialSync.progress(remote.id, job_id);
    return Response.json({
      progress,
      report: report ? await deps.initialSync.report(remote.id, job_id, REPORT_ITEMS) : null,
    });
  } catch (error) {
    return errorResponse(error, (e) => deps.logger.error({ err: e }, "initial sync report failed"));
  }
}

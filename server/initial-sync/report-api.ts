import { z } from "zod";
import { answerSignedJson, type SyncApiDeps } from "../transport/handler";
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

export function handleInitialSyncReport(request: Request, deps: ReportApiDeps): Promise<Response> {
  return answerSignedJson(request, deps, "initial sync report", requestSchema, async (remote, input) => ({
    progress: await deps.initialSync.progress(remote.id, input.job_id),
    report: input.report ? await deps.initialSync.report(remote.id, input.job_id, REPORT_ITEMS) : null,
  }));
}

import { handleInitialSyncReport } from "@/server/initial-sync/report-api";
import { instance } from "@/server/instance/instance";
import { timedRoute } from "@/server/observability/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The receiver's progress and report for one initial sync job of the calling peer (issue 17). */
export const POST = timedRoute("/api/sync/v1/initial-sync/report", async function post(request: Request) {
  const inst = await instance();
  return handleInitialSyncReport(request, inst.sync.initialSyncApi);
});

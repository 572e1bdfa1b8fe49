import { handleInitialSyncControl } from "@/server/initial-sync/control-api";
import { instance } from "@/server/instance/instance";
import { timedRoute } from "@/server/observability/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The paired instance starts and follows an initial sync of this instance's records to it (issue 17). */
export const POST = timedRoute("/api/sync/v1/initial-sync/control", async function post(request: Request) {
  const inst = await instance();
  return handleInitialSyncControl(request, inst.sync.initialSyncControlApi);
});

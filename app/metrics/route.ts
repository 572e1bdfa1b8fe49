import { instance } from "@/server/instance/instance";
import { timedRoute } from "@/server/observability/http";
import { handleMetrics } from "@/server/observability/metrics-endpoint";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Prometheus scrape target (README: Observability). */
export const GET = timedRoute("/metrics", async (request: Request) =>
  handleMetrics(request, await instance()),
);

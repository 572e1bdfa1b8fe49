import { handleMetrics } from "@/server/http/metrics-endpoint";
import { instance } from "@/server/instance/instance";
import { timedRoute } from "@/server/observability/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Prometheus scrape target (README: Observability). */
export const GET = timedRoute("/metrics", async (request: Request) =>
  handleMetrics(request, await instance()),
);

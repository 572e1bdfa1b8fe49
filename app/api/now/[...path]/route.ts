import { toResponse } from "@/server/http/responses";
import { instance } from "@/server/instance/instance";
import { nowRoutePattern, timedRoute } from "@/server/observability/http";
import { handleNow } from "@/server/rest/router";

// The Table and Attachment APIs (SPEC 1.4): every path below /api/now, including the /v1 and
// /v2 variants. Parsing and answering live in server/rest; this file only hands over.
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type Context = { params: Promise<{ path: string[] }> };

const handle = timedRoute(
  async (_request: Request, context: Context) => nowRoutePattern((await context.params).path),
  async (request: Request, context: Context) =>
    toResponse(await handleNow(request, (await context.params).path, await instance())),
);

export const GET = handle;
export const POST = handle;
export const PUT = handle;
export const PATCH = handle;
export const DELETE = handle;

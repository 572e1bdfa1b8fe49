import { errorResponse, failure, resultResponse } from "@/server/http/responses";
import { instance } from "@/server/instance/instance";
import { timedRoute } from "@/server/observability/http";
import { pairRequestSchema } from "@/server/sync/pairing";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * The inviter's half of pairing (SPEC 2, ours): the invitation's one-time secret is the only
 * credential, so this endpoint creates nothing unless the secret matches an open invitation.
 */
export const POST = timedRoute("/api/sync/v1/pair", async function post(request: Request) {
  const inst = await instance();
  const parsed = pairRequestSchema.safeParse(await request.json().catch(() => null));
  if (!parsed.success)
    return failure(400, "Malformed pairing request", parsed.error.issues[0]?.message ?? "");
  try {
    return resultResponse(await inst.sync.pairing.acceptAsInviter(parsed.data));
  } catch (error) {
    return errorResponse(error, (e) => inst.logger.error({ err: e }, "pairing failed"));
  }
});

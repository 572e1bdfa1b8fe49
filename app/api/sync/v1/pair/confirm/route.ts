import { errorResponse, failure, resultResponse } from "@/server/http/responses";
import { instance } from "@/server/instance/instance";
import { timedRoute } from "@/server/observability/http";
import { confirmRequestSchema } from "@/server/sync/pairing";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Second step of pairing: the inviter validates and activates its side, once. */
export const POST = timedRoute("/api/sync/v1/pair/confirm", async function post(request: Request) {
  const inst = await instance();
  const parsed = confirmRequestSchema.safeParse(await request.json().catch(() => null));
  if (!parsed.success)
    return failure(400, "Malformed pairing request", parsed.error.issues[0]?.message ?? "");
  try {
    return resultResponse(
      await inst.sync.pairing.confirmAsInviter(parsed.data.invitation, parsed.data.secret),
    );
  } catch (error) {
    return errorResponse(error, (e) => inst.logger.error({ err: e }, "pairing confirm failed"));
  }
});

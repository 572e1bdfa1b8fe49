import { z } from "zod";
import { bodyChunks, checkDeclaredLength } from "../../http/body";
import { ApiError, errorResponse } from "../../http/responses";
import { describeZodError } from "../../protocol/wire-schema";
import {
  authenticatePeer,
  authenticateSync,
  parseJson,
  type SyncApiDeps,
  verifyPeerSignature,
} from "../../transport/handler";
import type { AttachmentReceiver } from "./receiver";
import type { AttachmentSender } from "./sender";

// The attachment transfer endpoints of the wire protocol (SPEC 3.6), authenticated like
// messages: HTTP Basic as the peer's inbound user plus a Standard Webhooks signature.

export interface AttachmentApiDeps extends SyncApiDeps {
  sender: AttachmentSender;
  receiver: AttachmentReceiver;
}

const transferBody = z.object({
  receiver_correlation_id: z.string().min(1).max(100),
  keys: z.array(z.string().min(1).max(2000)).min(1).max(1000),
});

async function readTransfer(request: Request, deps: AttachmentApiDeps) {
  const { remote, body } = await authenticateSync(request, deps);
  const parsed = transferBody.safeParse(parseJson(body));
  if (!parsed.success) throw new ApiError(400, "Invalid attachment request", describeZodError(parsed.error));
  return { remote, ...parsed.data };
}

/** POST /api/sync/v1/attachments/request — the receiver asks us (the sender) for files by key. */
export async function handleAttachmentRequest(request: Request, deps: AttachmentApiDeps): Promise<Response> {
  try {
    const { remote, receiver_correlation_id, keys } = await readTransfer(request, deps);
    return Response.json(await deps.sender.accept(remote.id, receiver_correlation_id, keys), { status: 202 });
  } catch (error) {
    return errorResponse(error, (e) => deps.logger.error({ err: e }, "attachment request failed"));
  }
}

/** POST /api/sync/v1/attachments/complete — the sender pushed every file: move them in place. */
export async function handleAttachmentComplete(request: Request, deps: AttachmentApiDeps): Promise<Response> {
  try {
    const { remote, receiver_correlation_id } = await readTransfer(request, deps);
    return Response.json(deps.receiver.move(remote.id, receiver_correlation_id));
  } catch (error) {
    return errorResponse(error, (e) => deps.logger.error({ err: e }, "attachment completion failed"));
  }
}

/**
 * PUT /api/sync/v1/attachments/{key} — the bytes of one requested file, streamed. The
 * signature covers key, hash and size; the size limit applies before a byte is read and the
 * hash is checked on arrival.
 */
export async function handleAttachmentPut(
  request: Request,
  key: string,
  deps: AttachmentApiDeps,
): Promise<Response> {
  try {
    const remote = await authenticatePeer(request, deps);
    const hash = request.headers.get("x-tandem-hash") ?? "";
    const declared = checkDeclaredLength(request, deps.maxAttachmentBytes, "Attachment");
    if (!/^[0-9a-f]{64}$/.test(hash) || declared === null) {
      throw new ApiError(
        400,
        "Attachment headers missing",
        "x-tandem-hash (SHA-256 hex) and Content-Length are required",
      );
    }
    verifyPeerSignature(request, deps, remote, `${key}.${hash}.${declared}`);
    const outcome = await deps.receiver.receive(
      remote.id,
      key,
      { hash, sizeBytes: declared },
      bodyChunks(request),
    );
    return Response.json({ status: outcome }, { status: outcome === "stored" ? 201 : 200 });
  } catch (error) {
    return errorResponse(error, (e) => deps.logger.error({ err: e }, "attachment upload failed"));
  }
}

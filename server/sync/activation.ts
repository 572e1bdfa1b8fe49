import type { OutboundStore } from "../queue/outbound/store";
import type { SyncClient, ValidateOutcome } from "../transport/client";
import type { SyncConfig } from "./config-store";

/**
 * Validate and Activate (SPEC 2): on success both states of the remote become active and rows
 * that only failed to connect go again; on failure nothing changes and the answer says which
 * check failed.
 */
export async function validateAndActivate(
  deps: { config: SyncConfig; client: SyncClient; outbound: OutboundStore; wake: () => void },
  remoteId: string,
): Promise<ValidateOutcome & { requeued: number }> {
  const outcome = await deps.client.validate(remoteId);
  if (!outcome.ok) return { ...outcome, requeued: 0 };
  deps.config.setRemoteState(remoteId, { outbound: "active", inbound: "active", message: outcome.message });
  const requeued = deps.outbound.requeueConnectionErrors(remoteId, Date.now());
  deps.wake();
  return { ...outcome, requeued };
}

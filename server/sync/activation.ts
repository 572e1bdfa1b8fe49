import type { SyncConfig } from "./config-store";

/** The answer of a remote to Validate (the transport's client gives it, SPEC 3.3). */
export interface ValidateOutcome {
  ok: boolean;
  check?: "reachable" | "credentials" | "ids" | "signature";
  message: string;
}

/**
 * What activation needs from the folders above this one, as narrow interfaces: the transport's
 * client validates, the outbound queue sends again what only failed to connect. The composition
 * root hands in the real ones; sync itself imports neither.
 */
export interface ActivationDeps {
  config: Pick<SyncConfig, "setRemoteState">;
  client: { validate(remoteId: string): Promise<ValidateOutcome> };
  outbound: { requeueConnectionErrors(remoteId: string, now: number): Promise<number> };
  wake: () => void;
}

/**
 * Validate and Activate (SPEC 2): on success both states of the remote become active and rows
 * that only failed to connect go again; on failure nothing changes and the answer says which
 * check failed.
 */
export async function validateAndActivate(
  deps: ActivationDeps,
  remoteId: string,
): Promise<ValidateOutcome & { requeued: number }> {
  const outcome = await deps.client.validate(remoteId);
  if (!outcome.ok) return { ...outcome, requeued: 0 };
  await deps.config.setRemoteState(remoteId, {
    outbound: "active",
    inbound: "active",
    message: outcome.message,
  });
  const requeued = await deps.outbound.requeueConnectionErrors(remoteId, Date.now());
  deps.wake();
  return { ...outcome, requeued };
}

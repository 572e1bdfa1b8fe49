import type { Logger } from "../log/logger";
import type { SyncEngine } from "./sync-engine";

/**
 * The demo's two instances start together; each validates its remote system as soon as the
 * peer answers (Validate and Activate, for real), trying for a few minutes. A remote in `error`
 * is left for a person: that state means something went wrong.
 */
export function activateDemoPairing(sync: SyncEngine, logger: Logger, attempts = 180): void {
  const pending = [...sync.config.snapshot().remotesById.values()].filter(
    (r) => r.outboundState === "disabled",
  );
  for (const remote of pending) {
    let left = attempts;
    const tryOnce = async () => {
      const outcome = await sync
        .validateAndActivate(remote.id)
        .catch((error) => ({ ok: false, message: String(error) }));
      if (outcome.ok) {
        logger.info({ remote: remote.name }, "demo pairing validated and active");
        return;
      }
      if (--left > 0) setTimeout(tryOnce, 1000).unref();
      else
        logger.warn(
          { remote: remote.name, reason: outcome.message },
          "demo pairing not validated; start the peer, then Validate and Activate",
        );
    };
    setTimeout(tryOnce, 200).unref();
  }
}

import { bootedInstance, instance, stopInstance } from "./instance";
import { stampPeerAddresses } from "./peer-address";

let stopping = false;

/** Boots the instance of this process and arranges a clean stop on SIGTERM / SIGINT. */
export async function bootProcess(): Promise<void> {
  stampPeerAddresses();
  let booted: Awaited<ReturnType<typeof instance>>;
  try {
    booted = await instance();
  } catch (error) {
    // A half-booted server would answer requests it cannot serve: stop and say why.
    console.error("Tandem could not start:", error instanceof Error ? error.message : error);
    process.exit(1);
  }
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    booted.logger.info({ signal }, "stopping");
    const current = bootedInstance();
    if (current) await stopInstance(await current);
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
}

/**
 * A cache reload to call when another process (or this one) changed the data: each call settles
 * after a load that started after the call, since a load already running may have read before
 * the change. Calls while one is waiting share it, so a burst of changes costs at most two loads.
 */
export function freshReload(load: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  const start = (): Promise<void> => {
    const loading = load().finally(() => {
      if (running === loading) running = undefined;
    });
    running = loading;
    return loading;
  };
  return () => {
    if (queued) return queued;
    if (!running) return start();
    queued = running
      .catch(() => {})
      .then(() => {
        queued = undefined;
        return start();
      });
    return queued;
  };
}

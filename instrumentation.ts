// Runs once per `next start` process (never during `next build`): boot the instance — migrate,
// seed, start workers — before the first request, and stop it cleanly on SIGTERM/SIGINT.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { bootProcess } = await import("./server/instance/process");
  await bootProcess();
  // The hot API routes scripts/server.mjs answers before Next routes them (README "How it works").
  const { registerDirectRoutes } = await import("./server/instance/direct-routes");
  await registerDirectRoutes();
}

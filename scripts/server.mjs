#!/usr/bin/env node
// One Tandem process: `node scripts/server.mjs` (PORT from the environment, default 3000).
// Next.js serves the UI and every route, as under `next start`, from the same production
// build; the instance boots in Next's instrumentation hook during prepare(). The hot API routes
// (Table API record calls, sync messages) are answered before Next routes them, by the same
// handlers (server/instance/direct-routes.ts): Next's request pipeline was two thirds of a Table
// API create's CPU. TANDEM_DIRECT_ROUTES=off sends every request through Next.
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// Set before Next loads, as `next start` does: React and Next pick their production builds from it.
process.env.NODE_ENV = "production";
const port = Number(process.env.PORT || 3000);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`PORT must be a port number (1-65535), not "${process.env.PORT}"`);
  process.exit(2);
}
// Old space may grow to twice what survived the last full GC before V8 collects again, not the up
// to four times V8 allows on a machine with several GB: an instance's live heap is about 65 MB
// whatever its queue holds (heap snapshots after 20,000 and 100,000 synced records), but a drain
// promotes the rows in flight to old space, and with the factor of four the heap swung between
// 90 and 290 MB, and RSS with it (435 MB peak at a 20,000 backlog). Twice kept it at 284 MB there
// and under 380 MB at 100,000 (drain rate unchanged), for a few more full GCs. It is set here,
// before anything allocates much, because Node refuses the flag in NODE_OPTIONS;
// TANDEM_HEAP_GROWING_PERCENT=0 leaves V8's own choice.
const growing = process.env.TANDEM_HEAP_GROWING_PERCENT ?? "100";
if (!/^\d+$/.test(growing)) {
  console.error(`TANDEM_HEAP_GROWING_PERCENT must be a whole number of percent, not "${growing}"`);
  process.exit(2);
}
if (Number(growing) > 0) v8.setFlagsFromString(`--heap-growing-percent=${growing}`);

const { default: next } = await import("next");
const app = next({ dev: false, dir: root, hostname: "localhost", port });
await app.prepare();
const nextHandler = app.getRequestHandler();
const direct = () => globalThis[Symbol.for("tandem.directRoutes")];

const server = http.createServer((req, res) => {
  if (direct()?.handle(req, res)) return;
  nextHandler(req, res);
});
server.on("error", (error) => {
  console.error(`Tandem could not listen on port ${port}: ${error.message}`);
  process.exit(1);
});
server.listen(port, () => console.log(`Tandem ${process.env.TANDEM_INSTANCE ?? ""} ready on port ${port}`));

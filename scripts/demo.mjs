#!/usr/bin/env node
// The demo: two linked instances, alpha on :3000 and beta on :3001, each with its own SQLite
// file under ./data. Ctrl-C stops both cleanly; running it again keeps the data.
import { startInstance } from "./instance.mjs";

const password = process.env.TANDEM_ADMIN_PASSWORD ?? "admin";
const children = ["alpha", "beta"].map((name) => ({ name, child: startInstance(name) }));
let stopping = false;

console.log(`
  Tandem demo
    alpha  http://localhost:3000
    beta   http://localhost:3001
  Sign in as admin / ${password}   (demo users: sync.admin, designer, operator, beth.anglin; password = user name)
  Press Ctrl-C to stop both instances.
`);

function stopAll() {
  if (stopping) return;
  stopping = true;
  for (const { child } of children) if (child.exitCode === null) child.kill("SIGTERM");
}
process.on("SIGINT", stopAll);
process.on("SIGTERM", stopAll);

let exited = 0;
for (const { name, child } of children) {
  child.on("exit", (code) => {
    if (!stopping && code !== 0)
      console.error(`${name} stopped unexpectedly (exit ${code}); stopping the demo.`);
    stopAll();
    if (++exited === children.length) process.exit(stopping ? 0 : 1);
  });
}

#!/usr/bin/env node
// Starts one instance of the demo: `npm run instance -- alpha` (port 3000) or `-- beta` (3001).
// Same data folder and configuration as `npm start`, so either can be run alone.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const demoPorts = { alpha: 3000, beta: 3001 };
const demoPeers = { alpha: "beta", beta: "alpha" };

/**
 * The demo pair's shared secret, made once and kept beside the instances' data: both derive
 * their remote systems, sync users and signing secret from it (server/instance/demo-sync-seed.ts).
 */
function demoPairingSecret() {
  const file = path.join(root, "data", "demo-pairing.json");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ secret: randomBytes(32).toString("hex") }), {
      mode: 0o600,
      flag: "wx",
    });
  }
  return JSON.parse(fs.readFileSync(file, "utf8")).secret;
}

/** Environment of a named instance: explicit variables win over the demo defaults. */
export function instanceEnv(name, base = process.env) {
  const port = base.PORT ?? String(demoPorts[name] ?? 3000);
  const peer = demoPeers[name];
  const pairing =
    peer && (base.TANDEM_SEED ?? "demo") === "demo"
      ? {
          TANDEM_DEMO_PEER: peer,
          TANDEM_DEMO_PEER_URL: base.TANDEM_DEMO_PEER_URL ?? `http://localhost:${demoPorts[peer]}`,
          TANDEM_DEMO_PAIRING: base.TANDEM_DEMO_PAIRING ?? demoPairingSecret(),
        }
      : {};
  return {
    ...pairing,
    ...base,
    TANDEM_INSTANCE: name,
    PORT: port,
    TANDEM_DATA_DIR: base.TANDEM_DATA_DIR ?? path.join(root, "data", name),
    TANDEM_PUBLIC_URL: base.TANDEM_PUBLIC_URL ?? `http://localhost:${port}`,
    // The demo pair talks over localhost, a private address the server refuses by default.
    TANDEM_ALLOW_PRIVATE_NETWORKS: base.TANDEM_ALLOW_PRIVATE_NETWORKS ?? "1",
    NEXT_TELEMETRY_DISABLED: "1",
  };
}

/** Spawns one instance process (scripts/server.mjs); the child is the server itself (no wrapper to orphan it). */
export function startInstance(name, { env = process.env, stdio = "inherit" } = {}) {
  if (!fs.existsSync(path.join(root, process.env.NEXT_DIST_DIR || ".next", "BUILD_ID"))) {
    throw new Error("No production build found: run `npm run build` first (or `npm start`, which builds).");
  }
  const childEnv = instanceEnv(name, env);
  return spawn(process.execPath, [path.join(root, "scripts", "server.mjs")], {
    cwd: root,
    env: childEnv,
    stdio,
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const name = process.argv[2];
  if (!name || !/^[a-z][a-z0-9-]{0,39}$/.test(name)) {
    console.error("Usage: npm run instance -- <name>   (for example: alpha or beta)");
    process.exit(2);
  }
  let child;
  try {
    child = startInstance(name);
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill("SIGTERM"));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}

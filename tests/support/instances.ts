import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { backendEnv } from "./test-backend";

// Real instance processes for integration and end-to-end tests: scripts/server.mjs on a free port
// with its own data folder, exactly as an operator runs it.

const root = process.cwd(); // tests run from the repository root

export interface RunningInstance {
  name: string;
  url: string;
  port: number;
  dataDir: string;
  process: ChildProcess;
  /** The instance's PostgreSQL database (TANDEM_TEST_BACKEND=postgres or given); undefined on SQLite. */
  databaseUrl: string | undefined;
  /** Everything the server printed, for failure messages. */
  output: () => string;
  /** SIGTERM and wait for exit. */
  stop: () => Promise<void>;
  /** SIGKILL and wait for exit (crash tests). */
  kill: () => Promise<void>;
}

export interface StartOptions {
  name?: string;
  port?: number;
  /** Reuse a data folder (restart tests); a fresh temp folder otherwise. */
  dataDir?: string;
  env?: Record<string, string>;
}

/** Ports handed out by this process: a killed instance's port stays its own for its restart. */
const handedOut = new Set<number>();

export async function freePort(): Promise<number> {
  for (;;) {
    const port = await osFreePort();
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}

function osFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** A new data folder, inside the test run's folder when there is one (tests/support/test-data-root.ts). */
export function tempDataDir(name: string): string {
  return fs.mkdtempSync(path.join(process.env.TANDEM_TEST_DATA_ROOT ?? os.tmpdir(), `tandem-${name}-`));
}

export async function startInstance(options: StartOptions = {}): Promise<RunningInstance> {
  if (!fs.existsSync(path.join(root, process.env.NEXT_DIST_DIR || ".next", "BUILD_ID"))) {
    throw new Error("No production build: run `npm run build` before the integration tests");
  }
  const name = options.name ?? "alpha";
  const port = options.port ?? (await freePort());
  const dataDir = options.dataDir ?? tempDataDir(name);
  const url = `http://127.0.0.1:${port}`;
  const backend = await backendEnv(dataDir, options.env);
  const child = spawn(process.execPath, [path.join(root, "scripts", "server.mjs")], {
    cwd: root,
    env: {
      ...process.env,
      TANDEM_INSTANCE: name,
      PORT: String(port),
      TANDEM_DATA_DIR: dataDir,
      TANDEM_PUBLIC_URL: url,
      TANDEM_LOG_LEVEL: "warn",
      // Every test instance and its peers are on loopback, which the outbound guard refuses by
      // default; a test that checks the refusal overrides this.
      TANDEM_ALLOW_PRIVATE_NETWORKS: "1",
      NEXT_TELEMETRY_DISABLED: "1",
      ...backend,
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d) => {
    output += d;
  });
  child.stderr?.on("data", (d) => {
    output += d;
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const waitExit = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  const running: RunningInstance = {
    databaseUrl: options.env?.TANDEM_DATABASE_URL ?? backend.TANDEM_DATABASE_URL,
    name,
    url,
    port,
    dataDir,
    process: child,
    output: () => output,
    stop: () => waitExit("SIGTERM"),
    kill: () => waitExit("SIGKILL"),
  };
  await waitForHealth(running, 60_000);
  return running;
}

async function waitForHealth(inst: RunningInstance, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (inst.process.exitCode !== null) {
      throw new Error(`Instance ${inst.name} exited with ${inst.process.exitCode}:\n${inst.output()}`);
    }
    try {
      const res = await fetch(`${inst.url}/api/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await inst.kill();
  throw new Error(`Instance ${inst.name} did not become healthy in ${timeoutMs} ms:\n${inst.output()}`);
}

/** Authorization header for HTTP Basic. */
export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
}

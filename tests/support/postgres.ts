import { execFileSync, spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { freePort } from "./instances";

// A real PostgreSQL server for tests: a throwaway cluster in a temp folder on a free loopback
// port, with password (scram) authentication so that a wrong password is really refused.

export interface RunningPostgres {
  port: number;
  /** The temp folder: data/ (the cluster), log, socket. */
  dir: string;
  user: string;
  password: string;
  /** Connection URL of a database on this server ("postgres" by default). */
  url(database?: string): string;
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** The server's log so far, for failure messages. */
  log(): string;
  /** Fast shutdown, then the folder is removed. */
  stop(): Promise<void>;
}

export interface PostgresOptions {
  /** fsync=off: only for tests that kill Tandem, never for ones that kill the server. */
  fsync?: boolean;
}

const USER = "postgres";

export function postgresBinDir(): string {
  const candidates: string[] = [];
  try {
    candidates.push(execFileSync("pg_config", ["--bindir"], { encoding: "utf8" }).trim());
  } catch {
    // pg_config is only there with the full package; the versioned folder may still be
  }
  const base = "/usr/lib/postgresql";
  if (fs.existsSync(base)) {
    const versions = fs
      .readdirSync(base)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => path.join(base, v, "bin")));
  }
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, "initdb")));
  if (!found) {
    throw new Error(
      "PostgreSQL's programs (initdb, pg_ctl) were not found by `pg_config --bindir` nor in " +
        "/usr/lib/postgresql/*/bin: install Debian's postgresql package (`sudo apt-get install -y postgresql`).",
    );
  }
  return found;
}

const asRoot = process.getuid?.() === 0;

/** initdb and pg_ctl refuse root: as root they run as the postgres user. */
function runPg(bin: string, program: string, args: string[], cwd: string): void {
  const exe = path.join(bin, program);
  const [cmd, argv] = asRoot ? ["runuser", ["-u", USER, "--", exe, ...args]] : [exe, args];
  try {
    // cwd: the postgres user may not be allowed into the repository's folder.
    execFileSync(cmd, argv, { cwd, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${program} ${args.join(" ")} failed: ${e.stderr || e.stdout || e.message}`);
  }
}

function postmasterPid(dataDir: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    return pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Servers of this process that are still up, for the exit hook. */
const running = new Map<string, string>(); // dir -> data dir
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Best effort on a normal exit without stop(): SIGQUIT is PostgreSQL's immediate shutdown.
  process.on("exit", () => {
    for (const [dir, dataDir] of running) {
      const pid = postmasterPid(dataDir);
      if (pid) {
        try {
          process.kill(pid, "SIGQUIT");
        } catch {
          // already gone
        }
      }
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

/**
 * A detached shell that outlives a killed test process (no exit hook runs on SIGKILL) and then
 * shuts the server down and removes its folder. stop() ends it by its pid.
 */
function startWatchdog(dir: string, dataDir: string): number | undefined {
  const script = `
    while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done
    pid=$(head -n 1 '${dataDir}/postmaster.pid' 2>/dev/null)
    [ -n "$pid" ] && kill -INT "$pid" 2>/dev/null
    for i in $(seq 1 50); do [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    rm -rf '${dir}'`;
  const child = spawn("sh", ["-c", script], { detached: true, stdio: "ignore" });
  child.unref();
  return child.pid;
}

export async function startPostgres(options: PostgresOptions = {}): Promise<RunningPostgres> {
  const bin = postgresBinDir();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-pg-"));
  const dataDir = path.join(dir, "data");
  const password = crypto.randomBytes(18).toString("hex");
  const pwfile = path.join(dir, "pwfile");
  fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", USER], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", USER], { encoding: "utf8" }).trim());
    fs.chownSync(dir, uid, gid);
    fs.chownSync(pwfile, uid, gid);
  }
  installExitHook();
  running.set(dir, dataDir);
  const watchdog = startWatchdog(dir, dataDir);
  const cleanUp = () => {
    running.delete(dir);
    if (watchdog) {
      try {
        process.kill(watchdog);
      } catch {
        // already gone
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };

  let port = 0;
  try {
    // Locale C: text sorts bytewise, as SQLite's BINARY collation does.
    runPg(
      bin,
      "initdb",
      [
        "-D",
        dataDir,
        "-U",
        USER,
        "-A",
        "scram-sha-256",
        `--pwfile=${pwfile}`,
        "-E",
        "UTF8",
        "--locale=C",
        "--no-sync",
      ],
      dir,
    );
    const settings = [`-k ${dir}`, "-c listen_addresses=127.0.0.1"];
    if (options.fsync === false) settings.push("-c fsync=off");
    // The free port can be taken between the probe and the start: try a few.
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      try {
        runPg(
          bin,
          "pg_ctl",
          [
            "-D",
            dataDir,
            "-o",
            `-p ${port} ${settings.join(" ")}`,
            "-l",
            path.join(dir, "log"),
            "start",
            "-w",
          ],
          dir,
        );
        break;
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
  } catch (error) {
    const log = fs.existsSync(path.join(dir, "log")) ? fs.readFileSync(path.join(dir, "log"), "utf8") : "";
    cleanUp();
    throw new Error(`${(error as Error).message}${log ? `\nserver log:\n${log}` : ""}`);
  }

  const url = (database = "postgres") =>
    `postgresql://${USER}:${password}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  let stopped = false;
  return {
    port,
    dir,
    user: USER,
    password,
    url,
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    log: () => {
      try {
        return fs.readFileSync(path.join(dir, "log"), "utf8");
      } catch {
        return "";
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        runPg(bin, "pg_ctl", ["-D", dataDir, "-m", "fast", "stop", "-w"], dir);
      } finally {
        cleanUp();
      }
    },
  };
}

#!/usr/bin/env node
// One instance on PostgreSQL, served by several processes: `npm run cluster -- alpha 3` starts
// three processes of alpha on consecutive ports (alpha from 3000, beta from 3010, others from
// 3020; `--port N` chooses), all on one database. Without TANDEM_DATABASE_URL it runs a local
// PostgreSQL server (Debian's postgresql package) kept in ./data/cluster/postgres, so running it
// again keeps the data. Ctrl-C stops the processes, then that server. README "Deployment".
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { startInstance } from "./instance.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const clusterDir = path.join(root, "data", "cluster");

function usage(message) {
  console.error(`${message}\nUsage: npm run cluster -- <instance> <processes> [--port <first port>]`);
  process.exit(2);
}

const args = process.argv.slice(2);
const portAt = args.indexOf("--port");
const firstPortArg = portAt >= 0 ? args.splice(portAt, 2)[1] : undefined;
const [name = "alpha", countArg = "3"] = args;
if (!/^[a-z][a-z0-9-]{0,39}$/.test(name))
  usage(`"${name}" is not an instance name (lower-case letters, digits, dashes).`);
const count = Number(countArg);
if (!Number.isInteger(count) || count < 1 || count > 16)
  usage(`"${countArg}" is not a number of processes (1 to 16).`);
const firstPort = Number(firstPortArg ?? { alpha: 3000, beta: 3010 }[name] ?? 3020);
if (!Number.isInteger(firstPort) || firstPort < 1 || firstPort + count - 1 > 65535)
  usage(`"${firstPortArg}" is not a port.`);

// ---- PostgreSQL: the given URL, or a local server kept under ./data/cluster ----------------------

const asRoot = process.getuid?.() === 0;

function binDir() {
  const candidates = [];
  try {
    candidates.push(execFileSync("pg_config", ["--bindir"], { encoding: "utf8" }).trim());
  } catch {
    // pg_config comes with the full package only
  }
  const base = "/usr/lib/postgresql";
  if (fs.existsSync(base)) {
    for (const v of fs
      .readdirSync(base)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => b - a))
      candidates.push(path.join(base, v, "bin"));
  }
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, "initdb")));
  if (!found)
    throw new Error(
      "PostgreSQL's programs were not found: install Debian's postgresql package (sudo apt-get install -y postgresql), or set TANDEM_DATABASE_URL to a server you run.",
    );
  return found;
}

/** initdb and pg_ctl refuse root: as root they run as the postgres user. */
function runPg(program, argv) {
  const exe = path.join(binDir(), program);
  const [cmd, full] = asRoot ? ["runuser", ["-u", "postgres", "--", exe, ...argv]] : [exe, argv];
  execFileSync(cmd, full, { cwd: clusterDir, stdio: ["ignore", "pipe", "inherit"] });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A file made once with owner-only permissions (the server's password, an instance's key). */
function keptSecret(file) {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600, flag: "wx" });
  }
  return fs.readFileSync(file, "utf8").trim();
}

let localServer; // { dataDir } while this script runs the server

async function localPostgres() {
  const dataDir = path.join(clusterDir, "postgres");
  const password = keptSecret(path.join(clusterDir, "postgres.password"));
  if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const pwfile = path.join(clusterDir, "pwfile");
    fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (asRoot) {
      const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }));
      const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }));
      fs.chownSync(dataDir, uid, gid);
      fs.chownSync(pwfile, uid, gid);
    }
    console.log(`Creating a local PostgreSQL server in ${path.relative(root, dataDir)} ...`);
    // Locale C: text sorts bytewise, as SQLite does.
    runPg("initdb", [
      "-D",
      dataDir,
      "-U",
      "postgres",
      "-A",
      "scram-sha-256",
      `--pwfile=${pwfile}`,
      "-E",
      "UTF8",
      "--locale=C",
    ]);
    fs.rmSync(pwfile);
  }
  const port = await freePort();
  runPg("pg_ctl", [
    "-D",
    dataDir,
    "-o",
    `-p ${port} -k ${dataDir} -c listen_addresses=127.0.0.1`,
    "-l",
    path.join(dataDir, "server.log"),
    "start",
    "-w",
  ]);
  localServer = { dataDir };
  const admin = `postgresql://postgres:${password}@127.0.0.1:${port}`;
  const database = `tandem_${name.replaceAll("-", "_")}`;
  const client = new pg.Client({ connectionString: `${admin}/postgres` });
  await client.connect();
  try {
    const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
  return `${admin}/${database}`;
}

function stopLocalPostgres() {
  if (!localServer) return;
  try {
    runPg("pg_ctl", ["-D", localServer.dataDir, "stop", "-m", "fast", "-w"]);
  } catch (error) {
    console.error(`Stopping the local PostgreSQL server failed: ${error.message}`);
  }
  localServer = undefined;
}

// ---- the processes ---------------------------------------------------------------------------------

const databaseUrl = process.env.TANDEM_DATABASE_URL ?? (await localPostgres());
// Every process of the instance shares its secret key; kept beside the cluster's data.
const secretKey = process.env.TANDEM_SECRET_KEY ?? keptSecret(path.join(clusterDir, `${name}.key`));
const ports = Array.from({ length: count }, (_, i) => firstPort + i);
const children = ports.map((port, i) =>
  startInstance(name, {
    env: {
      ...process.env,
      TANDEM_SEED: process.env.TANDEM_SEED ?? "empty",
      TANDEM_DATABASE_URL: databaseUrl,
      TANDEM_SECRET_KEY: secretKey,
      PORT: String(port),
      TANDEM_PUBLIC_URL: process.env.TANDEM_PUBLIC_URL ?? `http://localhost:${port}`,
      // scratch space only: nothing the instance needs lives in a process's folder
      TANDEM_DATA_DIR: path.join(clusterDir, `${name}-${i + 1}`),
    },
  }),
);

console.log(`
  Tandem cluster: instance ${name}, ${count} process${count === 1 ? "" : "es"} on one PostgreSQL database
${ports.map((p) => `    http://localhost:${p}`).join("\n")}
  Database: ${databaseUrl.replace(/:[^:@/]*@/, ":***@")}
  Put any HTTP load balancer in front of these ports (README "Deployment"). Ctrl-C stops them all.
`);

let stopping = false;
function stopAll() {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
}
process.on("SIGINT", stopAll);
process.on("SIGTERM", stopAll);

let exited = 0;
for (const [i, child] of children.entries()) {
  child.on("exit", (code) => {
    if (!stopping && code !== 0)
      console.error(`${name} on :${ports[i]} stopped unexpectedly (exit ${code}); stopping the cluster.`);
    stopAll();
    if (++exited === children.length) {
      stopLocalPostgres();
      process.exit(stopping ? 0 : 1);
    }
  });
}

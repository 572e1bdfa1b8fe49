#!/usr/bin/env node
// `npm run tandem -- export <folder>` / `import <folder> [--dry-run]`: an instance's sync
// configuration and flows as reviewable JSON files. The instance does the work (over its tRPC
// API, as an admin); this script only reads and writes the folder and asks for what it lacks.
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { parseArgs } from "node:util";

const usage = `Usage:
  npm run tandem -- export <folder>            write the configuration of an instance to <folder>
  npm run tandem -- import <folder> --dry-run  print what importing <folder> would change
  npm run tandem -- import <folder>            apply it (one transaction; refused with reasons)
Options: --url URL (or TANDEM_URL; default http://localhost:3000)
Credentials: TANDEM_USER (default admin) and TANDEM_PASSWORD (asked for when not set).
Secrets of remote systems the import creates: TANDEM_REMOTE_<NAME>_PASSWORD,
  TANDEM_REMOTE_<NAME>_SIGNING_SECRET, TANDEM_REMOTE_<NAME>_INBOUND_PASSWORD (asked for when missing).`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: "string" },
    "dry-run": { type: "boolean", default: false },
    help: { type: "boolean" },
  },
});
const [command, folder] = positionals;
if (values.help || !["export", "import"].includes(command ?? "") || !folder) {
  console.log(usage);
  process.exit(values.help ? 0 : 2);
}
const baseUrl = (values.url ?? process.env.TANDEM_URL ?? "http://localhost:3000").replace(/\/+$/, "");
const interactive = process.stdin.isTTY && process.stdout.isTTY;

function ask(question, { hidden = false } = {}) {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    if (hidden) rl._writeToOutput = (s) => rl.output.write(s.includes(question) ? s : "");
    rl.question(question, (answer) => {
      rl.close();
      if (hidden) process.stdout.write("\n");
      resolve(answer);
    });
  });
}

async function credentials() {
  const user = process.env.TANDEM_USER ?? "admin";
  let password = process.env.TANDEM_PASSWORD;
  if (!password && interactive)
    password = await ask(`Password for ${user} at ${baseUrl}: `, { hidden: true });
  if (!password) fail("Set TANDEM_PASSWORD (the password of TANDEM_USER, default admin).");
  return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
}

function fail(message) {
  console.error(`tandem: ${message}`);
  process.exit(1);
}

async function call(auth, procedure, input) {
  const url = `${baseUrl}/api/trpc/${procedure}`;
  let res;
  try {
    res = await fetch(url, {
      method: input === undefined ? "GET" : "POST",
      headers: { authorization: auth, "content-type": "application/json" },
      ...(input === undefined ? {} : { body: JSON.stringify(input) }),
    });
  } catch (error) {
    fail(`cannot reach ${baseUrl}: ${error.cause?.code ?? error.message}. Is the instance running? (--url)`);
  }
  const body = await res.json().catch(() => null);
  if (!res.ok || !body?.result) {
    const message = body?.error?.message ?? `HTTP ${res.status}`;
    fail(res.status === 401 ? `sign-in refused at ${baseUrl}: ${message}` : message);
  }
  return body.result.data;
}

/** Every .json file under the folder (hidden folders left out), path → text. */
function readFolder(root) {
  const files = {};
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".json"))
        files[path.relative(root, full).split(path.sep).join("/")] = fs.readFileSync(full, "utf8");
    }
  };
  walk(root);
  return files;
}

const secretSuffix = {
  outboundSecret: "PASSWORD",
  signingSecret: "SIGNING_SECRET",
  inboundPassword: "INBOUND_PASSWORD",
};
const secretVariable = (name, secret) =>
  `TANDEM_REMOTE_${name.toUpperCase().replace(/[^A-Z0-9]+/g, "_")}_${secretSuffix[secret]}`;

/** Secrets of the folder's remote systems, from the environment; never from or into files. */
function secretsFromEnv(files) {
  const secrets = {};
  for (const text of Object.values(files)) {
    let doc;
    try {
      doc = JSON.parse(text);
    } catch {
      continue; // the instance names the broken file
    }
    if (doc?.type !== "remote-system" || typeof doc.name !== "string") continue;
    const given = {};
    for (const secret of Object.keys(secretSuffix)) {
      const value = process.env[secretVariable(doc.name, secret)];
      if (value) given[secret] = value;
    }
    secrets[doc.name] = given;
  }
  return secrets;
}

function printPlan(plan, dryRun) {
  const sign = { created: "+", changed: "~", removed: "-" };
  for (const change of plan.changes) {
    console.log(`${sign[change.action]} ${change.action.padEnd(8)} ${change.label}  (${change.path})`);
    for (const f of change.fields.slice(0, 20))
      console.log(`      ${f.path}: ${show(f.from)} → ${show(f.to)}`);
    if (change.fields.length > 20) console.log(`      … ${change.fields.length - 20} more differences`);
  }
  for (const w of plan.warnings) console.log(`warning: ${w}`);
  for (const e of plan.errors) console.error(`error: ${e}`);
  const count = (a) => plan.changes.filter((c) => c.action === a).length;
  const totals = `${count("created")} created, ${count("changed")} changed, ${count("removed")} removed`;
  if (plan.errors.length > 0)
    console.error(`Refused: ${plan.errors.length} problem(s); nothing was changed.`);
  else if (dryRun) console.log(`${totals} (dry run: nothing was changed)`);
  else console.log(plan.applied ? `${totals}: applied` : `${totals}`);
}

function show(value) {
  if (value === undefined) return "(absent)";
  const text = JSON.stringify(value);
  return text.length > 100 ? `${text.slice(0, 99)}…` : text;
}

const auth = await credentials();
if (command === "export") {
  const { files } = await call(auth, "configAsCode.exportFiles");
  fs.mkdirSync(folder, { recursive: true });
  // The folder mirrors the instance: files of objects that no longer exist are removed.
  const stale = Object.keys(readFolder(folder)).filter((p) => !(p in files));
  for (const p of stale) fs.rmSync(path.join(folder, p));
  for (const [p, text] of Object.entries(files)) {
    const full = path.join(folder, p);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, text);
  }
  console.log(
    `Wrote ${Object.keys(files).length} files to ${folder}${stale.length ? ` (${stale.length} removed)` : ""}`,
  );
} else {
  if (!fs.existsSync(folder)) fail(`no folder ${folder}`);
  const files = readFolder(folder);
  const secrets = secretsFromEnv(files);
  const dryRun = values["dry-run"];
  let plan = await call(auth, "configAsCode.planImport", { files, secrets });
  if (!dryRun && interactive && plan.errors.length === 0) {
    for (const need of plan.needsSecrets) {
      for (const secret of need.missing) {
        const answer = await ask(
          `${secretVariable(need.remote, secret)} for remote system "${need.remote}" (empty to skip): `,
          { hidden: true },
        );
        if (answer) secrets[need.remote] = { ...secrets[need.remote], [secret]: answer };
      }
    }
  }
  if (!dryRun && plan.errors.length === 0)
    plan = await call(auth, "configAsCode.applyImport", { files, secrets });
  printPlan(plan, dryRun);
  process.exit(plan.errors.length > 0 ? 1 : 0);
}

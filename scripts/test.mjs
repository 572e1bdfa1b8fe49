#!/usr/bin/env node
// The whole suite, as the README's second command runs it: lint + type-check, a production
// build, vitest (unit + integration against real instance processes), then Playwright in
// Debian's Chromium. Prints one closing line "N passed, N failed" from the JSON reports.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const reports = path.resolve("reports");
// The build and the test instances share one output folder; a stray NEXT_DIST_DIR must not split them.
delete process.env.NEXT_DIST_DIR;
fs.mkdirSync(reports, { recursive: true });
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };

function run(label, cmd, args) {
  console.log(`\n▶ ${label}: ${cmd} ${args.join(" ")}`);
  const started = Date.now();
  const result = spawnSync(cmd, args, { stdio: "inherit", env });
  console.log(`◀ ${label}: exit ${result.status} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result.status ?? 1;
}

const bin = (name) => path.join("node_modules", ".bin", name);

// Browser tests drive Debian's Chromium (browsers cannot be downloaded here). A root shell on a
// fresh Debian machine gets it installed; anyone else is told what to run.
if (!fs.existsSync("/usr/bin/chromium")) {
  const root = process.getuid?.() === 0;
  if (
    root &&
    run("install chromium", "sh", ["-c", "apt-get update -qq && apt-get install -y -qq chromium"]) === 0
  ) {
    console.log("Installed Debian's Chromium for the browser tests.");
  } else {
    console.error(
      "The browser tests need Debian's Chromium at /usr/bin/chromium: run `sudo apt-get install -y chromium`.",
    );
    process.exit(1);
  }
}
const steps = [];
steps.push(["lint", run("lint", bin("biome"), ["check", "."])]);
steps.push(["types", run("types", bin("tsc"), ["--noEmit", "-p", "."])]);
steps.push(["build", run("build", bin("next"), ["build"])]);

let passed = 0;
let failed = 0;
let skipped = 0;

const vitestReport = path.join(reports, "vitest.json");
fs.rmSync(vitestReport, { force: true });
steps.push([
  "vitest",
  run("vitest", bin("vitest"), [
    "run",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${vitestReport}`,
  ]),
]);
if (fs.existsSync(vitestReport)) {
  const r = JSON.parse(fs.readFileSync(vitestReport, "utf8"));
  passed += r.numPassedTests ?? 0;
  failed += r.numFailedTests ?? 0;
  skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
}

const playwrightReport = path.join(reports, "playwright.json");
fs.rmSync(playwrightReport, { force: true });
steps.push(["playwright", run("playwright", bin("playwright"), ["test"])]);
if (fs.existsSync(playwrightReport)) {
  const s = JSON.parse(fs.readFileSync(playwrightReport, "utf8")).stats ?? {};
  passed += (s.expected ?? 0) + (s.flaky ?? 0);
  failed += s.unexpected ?? 0;
  skipped += s.skipped ?? 0;
}

const broken = steps.filter(([, status]) => status !== 0).map(([name]) => name);
// A step that failed without reporting a test (lint, types, build) still fails the run.
for (const name of broken) if (!["vitest", "playwright"].includes(name)) failed += 1;
console.log(`\nSteps failed: ${broken.length === 0 ? "none" : broken.join(", ")}`);
if (passed + failed === 0) {
  console.log("No test ran.");
  process.exit(1);
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(broken.length === 0 && failed === 0 ? 0 : 1);

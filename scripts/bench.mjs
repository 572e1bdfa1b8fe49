#!/usr/bin/env node
// `npm run bench`: every benchmark part in bench/, one after another (they would disturb each
// other in parallel on 2 cores). Figures and ratios are printed, never asserted.
// Pick parts: `npm run bench -- flows sync`.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const parts = fs
  .readdirSync("bench")
  .filter((f) => f.endsWith(".ts") && !f.startsWith("_"))
  .map((f) => f.replace(/\.ts$/, ""))
  .sort();
const wanted = process.argv.slice(2);
const chosen = wanted.length > 0 ? parts.filter((p) => wanted.includes(p)) : parts;
if (chosen.length === 0) {
  console.error(`No such benchmark part. Parts: ${parts.join(", ")}`);
  process.exit(2);
}
// The instances' data folders go in one folder, removed at the end (tests/support/test-data-root.ts).
const dataRoot = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-bench-run-"));
let failed = 0;
for (const part of chosen) {
  console.log(`\n=== bench: ${part} ===`);
  const result = spawnSync(path.join("node_modules", ".bin", "tsx"), [path.join("bench", `${part}.ts`)], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", TANDEM_TEST_DATA_ROOT: dataRoot },
  });
  if (result.status !== 0) failed += 1;
}
if (process.env.TANDEM_KEEP_TEST_DATA !== "1") fs.rmSync(dataRoot, { recursive: true, force: true });
process.exit(failed === 0 ? 0 : 1);

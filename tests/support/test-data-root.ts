import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * One temporary folder per test run, holding every instance data folder the run makes, and
 * removed when the run ends (vitest's and Playwright's global setup). Without it each run left
 * a few hundred data folders, gigabytes, in the system's temp folder. TANDEM_KEEP_TEST_DATA=1
 * keeps it, to look at an instance's database after a failure.
 */
export default function setup(): () => void {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-test-run-"));
  process.env.TANDEM_TEST_DATA_ROOT = root;
  return () => {
    if (process.env.TANDEM_KEEP_TEST_DATA === "1") {
      console.log(`Test data kept in ${root}`);
      return;
    }
    try {
      fs.rmSync(root, { recursive: true, force: true, maxRetries: 3 });
    } catch (error) {
      // A folder still mounted (a storage-full tmpfs left by a failed test) stays, and says so.
      console.warn(`Could not remove all of ${root}: ${(error as Error).message}`);
    }
  };
}

import { defineConfig, devices } from "@playwright/test";

// Browser tests drive Debian's Chromium (browsers cannot be downloaded here). Each spec starts
// the real instances it needs through e2e/fixtures.ts.
export default defineConfig({
  testDir: "e2e",
  globalSetup: "./tests/support/test-data-root.ts",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["json", { outputFile: "reports/playwright.json" }]],
  use: {
    ...devices["Desktop Chrome"],
    launchOptions: { executablePath: "/usr/bin/chromium" },
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
});

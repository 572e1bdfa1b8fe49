import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Fast unit tests (pure code, in-process databases); integration tests that start real instance
// processes and talk to them over HTTP, on SQLite and on PostgreSQL; seeded fault trials.
export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL("./", import.meta.url)) } },
  test: {
    globalSetup: ["tests/support/test-data-root.ts"],
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: [
            "flows/**/*.test.ts",
            "server/**/*.test.ts",
            "components/**/*.test.ts",
            "bench/**/*.test.ts",
          ],
          environment: "node",
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts", "tests/security/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          // The same instance suites with every instance on a real PostgreSQL server (one for the
          // run, a database per instance), plus what only PostgreSQL can do: several processes
          // per instance (issue 13).
          name: "integration-pg",
          include: [
            "tests/integration/sync-scenario.test.ts",
            "tests/integration/sync-outage.test.ts",
            "tests/integration/sync-crash.test.ts",
            "tests/integration/attachments-sync.test.ts",
            "tests/integration/table-api.test.ts",
            "tests/integration/wire-protocol.test.ts",
            "tests/integration-pg/**/*.test.ts",
          ],
          globalSetup: ["tests/support/test-data-root.ts", "tests/support/postgres-global-setup.ts"],
          env: { TANDEM_TEST_BACKEND: "postgres" },
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          // Seeded fault trials against real instance processes (tests/faults/kinds.ts).
          name: "faults",
          include: ["tests/faults/*.test.ts"],
          environment: "node",
          testTimeout: 400_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});

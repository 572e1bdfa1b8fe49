import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Two projects: fast unit tests (pure code, in-process databases) and integration tests
// that start real instance processes and talk to them over HTTP.
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

import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { startInstance } from "../support/instances";

// Bad configuration is refused at start with a message that says what is wrong and what to do,
// instead of a server that starts and fails later (issue 13).

describe("an instance refuses to start", () => {
  it("on a database a newer version of Tandem has migrated", async () => {
    const first = await startInstance({ env: { TANDEM_SEED: "empty" } });
    await first.stop();
    const db = new Database(path.join(first.dataDir, "tandem.db"));
    db.prepare("INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('from-a-newer-version', ?)").run(
      Date.now() + 86_400_000,
    );
    db.close();
    await expect(startInstance({ dataDir: first.dataDir, env: { TANDEM_SEED: "empty" } })).rejects.toThrow(
      /exited with 1[\s\S]*Tandem could not start: The database .* has a newer schema than this version of Tandem/,
    );
  });

  it("with a heap growing percent that is not a whole number", async () => {
    await expect(
      startInstance({ env: { TANDEM_SEED: "empty", TANDEM_HEAP_GROWING_PERCENT: "fast" } }),
    ).rejects.toThrow(
      /exited with 2[\s\S]*TANDEM_HEAP_GROWING_PERCENT must be a whole number of percent, not "fast"/,
    );
  });
});

import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startInstance } from "../support/instances";
import { type RunningPostgres, startPostgres } from "../support/postgres";

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

  it("with a secret key other than the one the instance's secrets were sealed with", async () => {
    const first = await startInstance({ env: { TANDEM_SEED: "empty" } });
    await first.stop();
    fs.writeFileSync(path.join(first.dataDir, "secret.key"), randomBytes(32).toString("hex"));
    await expect(startInstance({ dataDir: first.dataDir, env: { TANDEM_SEED: "empty" } })).rejects.toThrow(
      /exited with 1[\s\S]*The secret key \(the key file in .*\) is not the key this instance's secrets were sealed with/,
    );
  });

  describe("on PostgreSQL", () => {
    let server: RunningPostgres;
    beforeAll(async () => {
      server = await startPostgres({ fsync: false });
    });
    afterAll(async () => {
      await server?.stop();
    });
    const key = () => randomBytes(32).toString("hex");

    it("when the server cannot be reached", async () => {
      const url = `postgresql://tandem:secret@127.0.0.1:${await freePort()}/tandem`;
      await expect(
        startInstance({ env: { TANDEM_SEED: "empty", TANDEM_DATABASE_URL: url, TANDEM_SECRET_KEY: key() } }),
      ).rejects.toThrow(/exited with 1[\s\S]*Cannot reach the PostgreSQL server at 127\.0\.0\.1:\d+/);
    });

    it("with wrong credentials, never printing the password", async () => {
      const url = new URL(await server.createDatabase("creds"));
      url.password = "not-the-password";
      const failure = startInstance({
        env: { TANDEM_SEED: "empty", TANDEM_DATABASE_URL: url.toString(), TANDEM_SECRET_KEY: key() },
      });
      await expect(failure).rejects.toThrow(/exited with 1[\s\S]*PostgreSQL at .* refused the user/);
      await expect(failure).rejects.not.toThrow(/not-the-password/);
    });

    it("without the shared secret key, or with another process's different one", async () => {
      const url = await server.createDatabase("keys");
      await expect(
        startInstance({ env: { TANDEM_SEED: "empty", TANDEM_DATABASE_URL: url } }),
      ).rejects.toThrow(/exited with 1[\s\S]*TANDEM_SECRET_KEY is missing: an instance on PostgreSQL/);
      // The first process stores its key's check value; the next one with another key is refused.
      const first = await startInstance({
        env: { TANDEM_SEED: "empty", TANDEM_DATABASE_URL: url, TANDEM_SECRET_KEY: key() },
      });
      try {
        await expect(
          startInstance({
            env: { TANDEM_SEED: "empty", TANDEM_DATABASE_URL: url, TANDEM_SECRET_KEY: key() },
          }),
        ).rejects.toThrow(/exited with 1[\s\S]*The secret key \(TANDEM_SECRET_KEY\) is not the key/);
      } finally {
        await first.stop();
      }
    });
  });
});

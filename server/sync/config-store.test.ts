import { describe, expect, it } from "vitest";
import { freshSqliteStorage } from "../testing/storage-fixtures";
import { SyncConfig } from "./config-store";
import { syncConfigContract } from "./config-store.contract";
import { SecretBox } from "./secrets";

// SyncConfig on SQLite, as an instance builds it: its writes share group commits.
describe("SyncConfig on SQLite", () => {
  syncConfigContract(freshSqliteStorage);

  it("loads its snapshot on first use without load(): SQLite reads synchronously", async () => {
    const storage = await freshSqliteStorage();
    const writer = new SyncConfig(storage, SecretBox.forTests());
    const remote = await writer.createRemote({ name: "beta", baseUrl: "http://localhost:3001" });
    const reader = new SyncConfig(storage, SecretBox.forTests());
    expect(reader.snapshot().remotesById.get(remote.id)?.name).toBe("beta");
  });
});

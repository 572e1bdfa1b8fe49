import { describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client";
import { GroupCommit } from "../../db/group-commit";
import { SqliteStorage } from "../../storage/sqlite";
import { CorrelationStore, correlationPlans } from "../../sync/correlations";

// A dry run rehearses a flow's writes in a transaction it rolls back: nothing it does may last.

function setup() {
  const db = openDatabase({ file: ":memory:" });
  const storage = new SqliteStorage(db.$client, { group: new GroupCommit(db.$client) });
  db.$client
    .prepare(
      "INSERT INTO remote_system (id, name, base_url, created_at, updated_at) VALUES ('r1', 'beta', 'http://x.invalid', 0, 0)",
    )
    .run();
  return { storage, correlations: new CorrelationStore(storage) };
}

const input = { remoteSystem: "r1", table: "incident", sysId: "s1", localCorrelationId: "c1" };

describe("rehearse", () => {
  it("hands back what a correlation create wrote, and leaves no correlation", async () => {
    const { storage, correlations } = setup();
    const view = await storage.rehearse(() => correlationPlans.create(input));
    expect(view).toMatchObject({ localCorrelationId: "c1", state: "active" });
    await new Promise((resolve) => setImmediate(resolve)); // a group commit would have run by now
    expect(await correlations.byRecord("r1", "incident", "s1")).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client";
import { GroupCommit } from "../../db/group-commit";
import { SqliteStorage } from "../../storage/sqlite";
import { CorrelationStore } from "../../sync/correlations";
import { rehearse } from "./dry-ports";

// A dry run rehearses a flow's writes in a transaction it rolls back: nothing it does may last.

function setup() {
  const db = openDatabase({ file: ":memory:" });
  const storage = new SqliteStorage(db.$client, { group: new GroupCommit(db.$client) });
  db.$client
    .prepare(
      "INSERT INTO remote_system (id, name, base_url, created_at, updated_at) VALUES ('r1', 'beta', 'http://x.invalid', 0, 0)",
    )
    .run();
  return { db, correlations: new CorrelationStore(storage) };
}

const input = { remoteSystem: "r1", table: "incident", sysId: "s1", localCorrelationId: "c1" };

describe("rehearse", () => {
  it("hands back what a correlation create wrote, and leaves no correlation", async () => {
    const { db, correlations } = setup();
    const view = rehearse(db, () => correlations.inSyncTransaction.create(input));
    expect(view).toMatchObject({ localCorrelationId: "c1", state: "active" });
    await new Promise((resolve) => setImmediate(resolve)); // a group commit would have run by now
    expect(await correlations.byRecord("r1", "incident", "s1")).toBeNull();
  });

  it("refuses a write that answers with a promise, which would commit for real after the rollback", async () => {
    const { db, correlations } = setup();
    let escaped: Promise<unknown> | undefined;
    expect(() =>
      rehearse(db, () => {
        escaped = correlations.create(input);
        return escaped;
      }),
    ).toThrow(/must write synchronously/);
    // What the guard is for: the promised write commits on its own, after the rollback.
    await escaped;
    expect(await correlations.byRecord("r1", "incident", "s1")).not.toBeNull();
  });
});

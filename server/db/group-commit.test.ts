import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { GroupCommit } from "./group-commit";

function setup() {
  const sqlite = new Database(":memory:");
  sqlite.exec("CREATE TABLE t (v TEXT NOT NULL UNIQUE)");
  const insert = sqlite.prepare("INSERT INTO t (v) VALUES (?)");
  const values = () =>
    (sqlite.prepare("SELECT v FROM t ORDER BY v").all() as Array<{ v: string }>).map((r) => r.v);
  const commits: number[] = [];
  const group = new GroupCommit(sqlite, { observe: (_ms, writes) => commits.push(writes) });
  return { sqlite, insert, values, commits, group };
}

describe("group commit", () => {
  it("runs the writes of one turn in one transaction, and settles them only after it committed", async () => {
    const { insert, values, commits, group } = setup();
    const seen: string[][] = [];
    const writes = ["a", "b", "c"].map((v) =>
      group.write(() => insert.run(v)).then(() => seen.push(values())),
    );
    expect(values()).toEqual([]); // nothing is written while the turn lasts
    await Promise.all(writes);
    expect(commits).toEqual([3]);
    for (const s of seen) expect(s).toEqual(["a", "b", "c"]);
  });

  it("a write that throws fails alone: the others of its group are committed", async () => {
    const { insert, values, group } = setup();
    const results = await Promise.allSettled([
      group.write(() => insert.run("a")),
      group.write(() => {
        insert.run("x");
        insert.run("a"); // UNIQUE: this write's savepoint (its "x" too) is rolled back
      }),
      group.write(() => insert.run("b")),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(values()).toEqual(["a", "b"]);
  });

  it("refuses a write that returns a promise, and undoes what it wrote before it", async () => {
    const { insert, values, group } = setup();
    const results = await Promise.allSettled([
      group.write(() => {
        insert.run("x");
        return Promise.resolve("later");
      }),
      group.write(() => insert.run("b")),
    ]);
    expect(results[0]).toMatchObject({
      status: "rejected",
      reason: { message: expect.stringMatching(/returned a promise/) },
    });
    expect(results[1]?.status).toBe("fulfilled");
    expect(values()).toEqual(["b"]);
  });

  it("when the commit fails, every write of the group fails and none is applied", async () => {
    const { sqlite, insert, values, group } = setup();
    // A deferred foreign key is checked at COMMIT: the commit itself fails.
    sqlite.exec(
      "PRAGMA foreign_keys = ON; CREATE TABLE child (p TEXT REFERENCES t(v) DEFERRABLE INITIALLY DEFERRED)",
    );
    const orphan = sqlite.prepare("INSERT INTO child (p) VALUES ('missing')");
    const results = await Promise.allSettled([
      group.write(() => insert.run("a")),
      group.write(() => orphan.run()),
    ]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(values()).toEqual([]);
    expect(sqlite.inTransaction).toBe(false);
    await group.write(() => insert.run("b")); // the next group works
    expect(values()).toEqual(["b"]);
  });
});

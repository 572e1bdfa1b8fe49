import { expect, it } from "vitest";
import { afterCommit, all, attempt, get, type Plan, run, type Storage, sql } from ".";

// The storage layer itself on every dialect (issue 13): SQLite in storage.test.ts, a real
// PostgreSQL in tests/integration/storage-seam.test.ts.

const Q = {
  put: sql("INSERT INTO instance_setting (key, value, updated_at) VALUES (?, ?, 0)"),
  read: sql<{ value: string }>("SELECT value FROM instance_setting WHERE key = ?"),
  keys: sql<{ key: string }>("SELECT key FROM instance_setting WHERE key LIKE 'contract.%' ORDER BY key"),
};

export function storageContract(fresh: () => Promise<Storage>): void {
  it("a transaction commits its plan; one that throws leaves nothing", async () => {
    const storage = await fresh();
    await storage.transaction(() => run(Q.put, "contract.a", "1"));
    await expect(
      storage.transaction(function* () {
        yield* run(Q.put, "contract.b", "2");
        throw new Error("no");
      }),
    ).rejects.toThrow("no");
    expect(await storage.read(all(Q.keys))).toEqual([{ key: "contract.a" }]);
  });

  it("attempt() undoes only the failed part, and the transaction goes on", async () => {
    const storage = await fresh();
    await storage.transaction(function* () {
      yield* run(Q.put, "contract.a", "1");
      try {
        yield* attempt(run(Q.put, "contract.a", "again")); // primary key taken
      } catch {
        yield* run(Q.put, "contract.c", "3");
      }
    });
    expect(await storage.read(all(Q.keys))).toEqual([{ key: "contract.a" }, { key: "contract.c" }]);
  });

  it("a rehearsal sees its own writes, answers or throws as the plan did, and leaves nothing", async () => {
    const storage = await fresh();
    const seen = await storage.rehearse(function* (): Plan<string | undefined> {
      yield* run(Q.put, "contract.r", "rehearsed");
      return (yield* get(Q.read, "contract.r"))?.value;
    });
    expect(seen).toBe("rehearsed");
    await expect(
      storage.rehearse(function* () {
        yield* run(Q.put, "contract.s", "x");
        throw new Error("refused");
      }),
    ).rejects.toThrow("refused");
    expect(await storage.read(all(Q.keys))).toEqual([]);
    // and the storage is usable afterwards (the connection went back clean)
    await storage.write(() => run(Q.put, "contract.t", "1"));
    expect(await storage.read(all(Q.keys))).toEqual([{ key: "contract.t" }]);
  });

  it("afterCommit runs once the transaction committed, and reads what it wrote", async () => {
    const storage = await fresh();
    const seen: Array<string | undefined> = [];
    await storage.transaction(function* () {
      yield* run(Q.put, "contract.w", "committed");
      yield* afterCommit(() => {
        void storage.read(get(Q.read, "contract.w")).then((row) => seen.push(row?.value));
      });
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen).toEqual(["committed"]);
  });

  it("refuses attempt() outside a transaction, on every dialect", async () => {
    const storage = await fresh();
    await expect(storage.read(attempt(run(Q.put, "contract.x", "1")))).rejects.toThrow(/needs a transaction/);
    expect(await storage.read(all(Q.keys))).toEqual([]);
  });
}

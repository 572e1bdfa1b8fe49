import { expect, it } from "vitest";
import { all, run, type Storage, sql } from "../storage";
import { IdempotencyKeys, idempotencyKeyPlans, storedKey } from "./idempotency-keys";

// IdempotencyKeys' behaviour on every dialect (issue 13): SQLite in idempotency-keys.test.ts,
// a real PostgreSQL in tests/integration/storage-seam.test.ts.
export function idempotencyKeysContract(fresh: () => Promise<Storage>): void {
  it("finds what was saved; the first result of a key wins", async () => {
    const keys = new IdempotencyKeys(await fresh());
    expect(await keys.find("in:r:m1:create")).toBeUndefined();
    expect(await keys.save("in:r:m1:create", '{"sys_id":"a"}')).toBe(true);
    expect(await keys.save("in:r:m1:create", '{"sys_id":"b"}')).toBe(false); // ignored, not an error
    expect(await keys.find("in:r:m1:create")).toBe('{"sys_id":"a"}');
    expect(await keys.find("in:r:m2:create")).toBeUndefined();
  });

  it("composes into a transaction: a save in a transaction that fails is undone", async () => {
    const storage = await fresh();
    const keys = new IdempotencyKeys(storage);
    await expect(
      storage.transaction(function* () {
        if ((yield* idempotencyKeyPlans.find("k")) === undefined) yield* idempotencyKeyPlans.save("k", "1");
        throw new Error("the create failed after");
      }),
    ).rejects.toThrow("the create failed after");
    expect(await keys.find("k")).toBeUndefined();
    // a duplicate save inside a transaction does not abort it (ON CONFLICT DO NOTHING on PostgreSQL)
    const outcome = await storage.transaction(function* () {
      yield* idempotencyKeyPlans.save("k", "1");
      const again = yield* idempotencyKeyPlans.save("k", "2");
      return { again, found: yield* idempotencyKeyPlans.find("k") };
    });
    expect(outcome).toEqual({ again: false, found: "1" });
  });

  it("stores a key as a short digest, and still finds a key stored spelt out before", async () => {
    const storage = await fresh();
    const keys = new IdempotencyKeys(storage);
    const key = "in:437c205d5f1fbbd3ec1d3375e43cb5b0:a1fff535-e725-4b84-bae9-91eb958eb1d6:send:create";
    await keys.save(key, '{"sys_id":"a"}');
    const stored = await storage.read(all(sql<{ key: string }>("SELECT key FROM idempotency_key")));
    expect(stored).toEqual([{ key: storedKey(key) }]);
    expect(storedKey(key)).toHaveLength(22);
    expect(storedKey(key)).not.toContain(":");
    const before = "in:r:m9:create";
    await storage.write(function* () {
      yield* run(
        sql("INSERT INTO idempotency_key (key, result, created_at) VALUES (?, ?, ?)"),
        before,
        "old",
        1,
      );
    });
    expect(await keys.find(before)).toBe("old");
    await keys.save(before, "new");
    expect(await keys.find(before)).toBe("old"); // the first result recorded still wins
    expect(await keys.find(key)).toBe('{"sys_id":"a"}');
  });

  it("purges the keys recorded before a time, only those", async () => {
    const storage = await fresh();
    const keys = new IdempotencyKeys(storage);
    await storage.transaction(function* () {
      yield* idempotencyKeyPlans.save("old", "1", 1_000);
      yield* idempotencyKeyPlans.save("edge", "2", 2_000);
      yield* idempotencyKeyPlans.save("new", "3", 3_000);
    });
    expect(await keys.purgeBefore(2_000)).toBe(1);
    expect([await keys.find("old"), await keys.find("edge"), await keys.find("new")]).toEqual([
      undefined,
      "2",
      "3",
    ]);
  });
}

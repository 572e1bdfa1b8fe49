import { describe, expect, it } from "vitest";
import { isSysId, newMessageId, newSysId } from "./ids";

describe("ids", () => {
  it("a sys_id is 32 lower-case hex characters that sort in creation order across milliseconds", () => {
    const ids = [1_700_000_000_000, 1_700_000_000_001, 1_800_000_000_000].map((ms) => newSysId(ms));
    for (const id of ids) expect(isSysId(id)).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(ids[0]?.slice(0, 12)).toBe((1_700_000_000_000).toString(16).padStart(12, "0"));
  });

  it("sys_ids of the same millisecond differ (the rest is random)", () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => newSysId(1_700_000_000_000)));
    expect(ids.size).toBe(10_000);
  });

  it("a message id is a version 7 UUID in creation order", () => {
    const a = newMessageId(1_700_000_000_000);
    const b = newMessageId(1_700_000_000_001);
    const v7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(a).toMatch(v7);
    expect(b).toMatch(v7);
    expect(a < b).toBe(true);
    expect(new Set(Array.from({ length: 10_000 }, () => newMessageId(1)))).toHaveProperty("size", 10_000);
  });
});

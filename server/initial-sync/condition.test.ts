import { describe, expect, it } from "vitest";
import { memoryInstance, testActor } from "../testing/memory-instance";
import { cursorQuery } from "./condition";

describe("cursorQuery", () => {
  it("bounds every OR-ed part by the cursor and sorts by sys_id", () => {
    expect(cursorQuery("", "")).toBe("ORDERBYsys_id");
    expect(cursorQuery("state=1", "")).toBe("state=1^ORDERBYsys_id");
    expect(cursorQuery("state=1^ORDERBYnumber", "abc")).toBe("state=1^sys_id>abc^ORDERBYsys_id");
    expect(cursorQuery("state=1^NQstate=2", "abc")).toBe(
      "state=1^sys_id>abc^NQstate=2^sys_id>abc^ORDERBYsys_id",
    );
  });

  it("walks every matching record once, in pages from the cursor", async () => {
    const env = memoryInstance();
    for (let i = 0; i < 25; i++) {
      await env.records.create(
        "incident",
        { short_description: `R${i}`, urgency: i % 2 ? "1" : "3" },
        testActor,
      );
    }
    const seen: string[] = [];
    let cursor = "";
    for (;;) {
      const { rows } = await env.records.list("incident", {
        query: cursorQuery("urgency=1", cursor),
        limit: 4,
      });
      if (rows.length === 0) break;
      seen.push(...rows.map((r) => r.sys_id));
      cursor = rows.at(-1)?.sys_id ?? cursor;
    }
    expect(seen).toHaveLength(12);
    expect(new Set(seen).size).toBe(12);
    expect([...seen].sort()).toEqual(seen);
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { errorResponse } from "../http/responses";
import type { RecordValues } from "../records/types";
import { memoryInstance, testActor } from "../testing/memory-instance";
import { contentDisposition } from "./attachment-view";
import { pagingHeaders } from "./paging";
import { renderRecords } from "./record-view";

describe("pagingHeaders", () => {
  const url = new URL("http://internal:3000/api/now/table/incident?sysparm_query=state%3D1&sysparm_limit=2");
  const links = (h: Record<string, string>) =>
    Object.fromEntries(
      (h.Link ?? "").split(",").map((part) => {
        const [, href, rel] = part.match(/^<([^>]+)>;rel="(\w+)"$/) ?? [];
        return [rel, new URL(href ?? "").searchParams.get("sysparm_offset")];
      }),
    );

  it("links first, prev, next and last with the public base URL", async () => {
    const h = pagingHeaders(url, "https://tandem.example", { total: 7, limit: 2, offset: 2 });
    expect(h["X-Total-Count"]).toBe("7");
    expect(links(h)).toEqual({ first: "0", prev: "0", next: "4", last: "6" });
    expect(h.Link).toContain("https://tandem.example/api/now/table/incident?sysparm_query=state%3D1");
  });

  it("leaves out prev on the first page and next on the last", async () => {
    expect(links(pagingHeaders(url, "http://x", { total: 3, limit: 2, offset: 0 }))).toEqual({
      first: "0",
      next: "2",
      last: "2",
    });
    expect(links(pagingHeaders(url, "http://x", { total: 0, limit: 2, offset: 0 }))).toEqual({
      first: "0",
      last: "0",
    });
  });

  it("carries only sysparm_ parameters, and leaves Link out rather than answer headers no client can read", async () => {
    const junk = new URL(
      `http://internal:3000/api/now/table/sys_user?%00abc=${"a".repeat(6000)}&sysparm_limit=2`,
    );
    const h = pagingHeaders(junk, "http://x", { total: 7, limit: 2, offset: 2 });
    expect(h.Link).not.toContain("abc");
    expect(links(h)).toEqual({ first: "0", prev: "0", next: "4", last: "6" });
    const long = new URL(
      `http://internal:3000/api/now/table/incident?sysparm_query=short_description%3D${"b".repeat(6000)}`,
    );
    const big = pagingHeaders(long, "http://x", { total: 7, limit: 2, offset: 2 });
    expect(big.Link).toBeUndefined();
    expect(big["X-Total-Count"]).toBe("7");
  });
});

describe("contentDisposition", () => {
  it("quotes nothing it should not and encodes the real name", async () => {
    const header = contentDisposition('a "b"; c\u00e4.txt');
    expect(header).toBe(
      `attachment; filename="a _b__ c_.txt"; filename*=UTF-8''a%20%22b%22%3B%20c%C3%A4.txt`,
    );
    expect(contentDisposition("it's (1).txt")).toContain("filename*=UTF-8''it%27s%20%281%29.txt");
  });
});

describe("renderRecords", () => {
  const env = memoryInstance();
  let group: RecordValues;
  let inc: RecordValues;
  let link: string;
  beforeAll(async () => {
    group = await env.records.create("sys_user_group", { name: "Network" }, testActor);
    inc = await env.records.create(
      "incident",
      { short_description: "x", assignment_group: group.sys_id, comments: "hello" },
      testActor,
    );
    link = `http://i/api/now/table/sys_user_group/${group.sys_id}`;
  });
  const base = { baseUrl: "http://i", excludeReferenceLink: false };

  it("gives values, reference links, and an empty journal by default", async () => {
    const [row] = await renderRecords(env.records, env.registry.require("incident"), [inc], {
      ...base,
      displayValue: "false",
    });
    expect(row?.assignment_group).toEqual({ link, value: group.sys_id });
    expect(row?.comments).toBe("");
    expect(row?.sys_id).toBe(inc.sys_id);
    expect(row?.assigned_to).toBe("");
  });

  it("gives display values, or both, and only the requested known fields", async () => {
    const def = env.registry.require("incident");
    const [shown] = await renderRecords(env.records, def, [inc], {
      ...base,
      displayValue: "true",
      fields: ["state", "assignment_group", "comments", "nope"],
    });
    expect(Object.keys(shown ?? {})).toEqual(["state", "assignment_group", "comments"]);
    expect(shown?.assignment_group).toEqual({ link, display_value: "Network" });
    expect(shown?.comments).toMatch(/\(Additional comments\)\nhello\n\n$/);
    const [all] = await renderRecords(env.records, def, [inc], {
      ...base,
      displayValue: "all",
      excludeReferenceLink: true,
      fields: ["state", "assignment_group"],
    });
    expect(all).toEqual({
      state: { display_value: "New", value: "1" },
      assignment_group: { display_value: "Network", value: group.sys_id },
    });
  });
});

describe("errorResponse", () => {
  it("answers caller errors with their status and hides everything else", async () => {
    const logged: unknown[] = [];
    const known = Object.assign(new Error("Invalid table nope"), {
      name: "RecordError",
      status: 400,
      detail: "d",
    });
    const res = errorResponse(known, (e) => logged.push(e));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: { message: "Invalid table nope", detail: "d" },
      status: "failure",
    });
    const bug = errorResponse(new Error("SQLITE_ERROR near SELECT"), (e) => logged.push(e));
    expect(bug.status).toBe(500);
    expect(JSON.stringify(await bug.json())).not.toContain("SQLITE");
    expect(logged).toHaveLength(1);
  });
});

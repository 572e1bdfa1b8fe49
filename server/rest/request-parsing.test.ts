import { describe, expect, it } from "vitest";
import { bodyFullyRead, readJsonObject } from "../http/body";
import { attachmentFilter, uploadContentType } from "./attachment-view";
import { parseTableParams } from "./query-params";
import { matchRoute } from "./router";

const jsonRequest = (body: string, headers: Record<string, string> = {}) =>
  new Request("http://x/api/now/table/incident", {
    method: "POST",
    body,
    headers: { "Content-Type": "application/json", ...headers },
  });

const statusOf = async (promise: Promise<unknown>) =>
  promise.then(
    () => 200,
    (e: { status?: number }) => e.status,
  );

describe("matchRoute", () => {
  it("matches table and attachment paths, with or without v1 / v2", () => {
    expect(matchRoute(["table", "incident"])?.params).toEqual({ table: "incident" });
    expect(matchRoute(["v2", "table", "incident", "abc"])?.params).toEqual({
      table: "incident",
      sys_id: "abc",
    });
    expect(matchRoute(["v1", "attachment", "file"])?.route.pattern).toEqual(["attachment", "file"]);
    expect(matchRoute(["attachment", "abc", "file"])?.params).toEqual({ sys_id: "abc" });
    expect(matchRoute(["attachment"])?.route.methods.GET).toBeDefined();
  });

  it("matches nothing else", () => {
    expect(matchRoute(["table"])).toBeNull();
    expect(matchRoute(["v3", "table", "incident"])).toBeNull();
    expect(matchRoute(["table", "incident", "a", "b"])).toBeNull();
    expect(matchRoute(["table", ""])).toBeNull();
  });
});

describe("parseTableParams", () => {
  it("has ServiceNow's defaults", () => {
    expect(parseTableParams(new URLSearchParams())).toEqual({
      query: "",
      fields: undefined,
      limit: 10_000,
      offset: 0,
      displayValue: "false",
      excludeReferenceLink: false,
    });
  });

  it("reads every parameter", () => {
    const p = parseTableParams(
      new URLSearchParams({
        sysparm_query: "state=1",
        sysparm_fields: "number, state,,",
        sysparm_limit: "5",
        sysparm_offset: "10",
        sysparm_display_value: "ALL",
        sysparm_exclude_reference_link: "true",
      }),
    );
    expect(p).toEqual({
      query: "state=1",
      fields: ["number", "state"],
      limit: 5,
      offset: 10,
      displayValue: "all",
      excludeReferenceLink: true,
    });
  });

  it.each([
    ["sysparm_limit", "0"],
    ["sysparm_limit", "-1"],
    ["sysparm_limit", "ten"],
    ["sysparm_limit", "1.5"],
    ["sysparm_offset", "-3"],
    ["sysparm_display_value", "yes"],
    ["sysparm_exclude_reference_link", "1"],
  ])("refuses %s=%s naming it", (name, value) => {
    expect(() => parseTableParams(new URLSearchParams({ [name]: value }))).toThrow(name);
  });
});

describe("readJsonObject", () => {
  it("parses an object and marks the body as read", async () => {
    const request = jsonRequest('{"a":1}');
    expect(await readJsonObject(request, 100)).toEqual({ a: 1 });
    expect(bodyFullyRead(request)).toBe(true);
  });

  it("refuses malformed JSON, non-objects, empty bodies, other media types and big bodies", async () => {
    await expect(readJsonObject(jsonRequest('{"a":'), 100)).rejects.toThrow(/Malformed JSON/);
    await expect(readJsonObject(jsonRequest("[1]"), 100)).rejects.toThrow(/JSON object/);
    await expect(readJsonObject(jsonRequest("null"), 100)).rejects.toThrow(/JSON object/);
    await expect(readJsonObject(jsonRequest(""), 100)).rejects.toThrow(/empty/);
    expect(await statusOf(readJsonObject(jsonRequest("a=b", { "Content-Type": "text/plain" }), 100))).toBe(
      415,
    );
    const big = jsonRequest(JSON.stringify({ a: "x".repeat(200) }));
    expect(await statusOf(readJsonObject(big, 100))).toBe(413);
    expect(bodyFullyRead(big)).toBe(false);
  });

  it("accepts vendor JSON types", async () => {
    const request = jsonRequest("{}", { "Content-Type": "application/vnd.api+json; charset=utf-8" });
    expect(await readJsonObject(request, 100)).toEqual({});
  });
});

describe("attachment queries and types", () => {
  it("reads equality terms on the filterable columns", () => {
    expect(attachmentFilter("table_name=incident^table_sys_id=abc")).toEqual({
      table_name: "incident",
      table_sys_id: "abc",
    });
    expect(attachmentFilter("")).toEqual({});
  });

  it.each(["size_bytes=5", "file_nameLIKEx", "table_name=a^ORtable_name=b", "ORDERBYfile_name", "a=1^NQb=2"])(
    "refuses %s",
    (query) => {
      expect(() => attachmentFilter(query)).toThrow(/sysparm_query/);
    },
  );

  it("keeps only a plain media type", () => {
    expect(uploadContentType("Text/Plain; charset=utf-8")).toBe("text/plain");
    expect(uploadContentType(null)).toBe("application/octet-stream");
    expect(uploadContentType("evil\r\nx: y")).toBe("application/octet-stream");
  });
});

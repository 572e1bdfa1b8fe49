import { Pool } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basic, type RunningInstance, startInstance } from "../support/instances";

// The Table API's record calls and the sync messages are answered from node:http before Next
// routes them (server/instance/direct-routes.ts). They must answer exactly as Next's route handlers
// do: two instances from the same seed, one with the direct routes and one without
// (TANDEM_DIRECT_ROUTES=off), get the same requests, good and bad, and must give the same
// statuses, bodies and headers.

let direct: RunningInstance;
let viaNext: RunningInstance;
const admin = basic("admin", "admin");
const json = { "content-type": "application/json" };

beforeAll(async () => {
  const env = { TANDEM_SEED: "demo", TANDEM_MAX_BODY_BYTES: "4096" };
  [direct, viaNext] = await Promise.all([
    startInstance({ env }),
    startInstance({ env: { ...env, TANDEM_DIRECT_ROUTES: "off" } }),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all([direct?.stop(), viaNext?.stop()]);
});

interface Call {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** What a client sees, with what must differ between two instances (ids, times, ports) masked. */
async function answer(inst: RunningInstance, call: Call) {
  const res = await fetch(`${inst.url}${call.path}`, {
    method: call.method,
    headers: call.headers ?? {},
    redirect: "manual",
    ...(call.body === undefined ? {} : { body: call.body }),
  });
  const mask = (text: string) =>
    text
      .replaceAll(inst.url.replace("http://", ""), "<host>")
      .replace(/[0-9a-f]{32}/g, "<id>")
      .replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/g, "<time>");
  const kept = [
    "allow",
    "cache-control",
    "connection",
    "content-type",
    "location",
    "referrer-policy",
    "retry-after",
    "www-authenticate",
    "x-content-type-options",
    "x-frame-options",
  ];
  return {
    status: res.status,
    headers: Object.fromEntries(
      kept.filter((h) => res.headers.has(h)).map((h) => [h, mask(res.headers.get(h) ?? "")]),
    ),
    body: mask(await res.text()),
    vary: res.headers.get("vary") ?? "",
  };
}

/** Creates one incident on both, for the calls that need a record; its path on each. */
async function createdOnBoth(): Promise<[string, string]> {
  const make = async (inst: RunningInstance) => {
    const res = await fetch(`${inst.url}/api/now/table/incident`, {
      method: "POST",
      headers: { authorization: admin, ...json },
      body: JSON.stringify({ short_description: "Direct or not" }),
    });
    const { result } = (await res.json()) as { result: { sys_id: string } };
    return `/api/now/table/incident/${result.sys_id}`;
  };
  return [await make(direct), await make(viaNext)];
}

describe("direct API routes", () => {
  it("answer the Table API's record calls, good and bad, exactly as the Next routes do", async () => {
    const [directRecord, nextRecord] = await createdOnBoth();
    const calls: Array<Call | ((record: string) => Call)> = [
      {
        method: "POST",
        path: "/api/now/table/incident",
        headers: { authorization: admin, ...json },
        body: '{"short_description":"A"}',
      },
      {
        method: "GET",
        path: "/api/now/table/incident?sysparm_limit=3&sysparm_query=ORDERBYnumber",
        headers: { authorization: admin },
      },
      {
        method: "GET",
        path: "/api/now/v2/table/incident?sysparm_limit=50&sysparm_display_value=true&sysparm_query=ORDERBYnumber",
        headers: { authorization: admin, "accept-encoding": "gzip" },
      },
      (r) => ({
        method: "GET",
        path: `${r}?sysparm_fields=number,short_description`,
        headers: { authorization: admin },
      }),
      (r) => ({
        method: "PATCH",
        path: r,
        headers: { authorization: admin, ...json },
        body: '{"urgency":"1"}',
      }),
      (r) => ({
        method: "PATCH",
        path: r,
        headers: { authorization: admin, ...json },
        body: '{"urgency":"42"}',
      }),
      {
        method: "POST",
        path: "/api/now/table/incident",
        headers: { authorization: admin, ...json },
        body: "{not json",
      },
      {
        method: "POST",
        path: "/api/now/table/incident",
        headers: { authorization: admin, "content-type": "text/plain" },
        body: "{}",
      },
      {
        method: "POST",
        path: "/api/now/table/incident",
        headers: { authorization: admin, ...json },
        body: JSON.stringify({ description: "x".repeat(5000) }),
      },
      {
        method: "POST",
        path: "/api/now/table/incident",
        headers: { authorization: basic("admin", "wrong"), ...json },
        body: "{}",
      },
      { method: "GET", path: "/api/now/table/incident" },
      { method: "GET", path: "/api/now/table/no_such_table", headers: { authorization: admin } },
      {
        method: "PUT",
        path: "/api/now/table/incident",
        headers: { authorization: admin, ...json },
        body: "{}",
      },
      {
        method: "GET",
        path: "/api/now/table/incident/0123456789abcdef0123456789abcdef",
        headers: { authorization: admin },
      },
      (r) => ({ method: "DELETE", path: r, headers: { authorization: admin } }),
      (r) => ({ method: "GET", path: r, headers: { authorization: admin } }),
    ];
    for (const call of calls) {
      const [d, n] = typeof call === "function" ? [call(directRecord), call(nextRecord)] : [call, call];
      const [got, want] = [await answer(direct, d), await answer(viaNext, n)];
      expect({ call: `${d.method} ${d.path}`, ...got, vary: undefined }).toEqual({
        call: `${d.method} ${d.path}`,
        ...want,
        vary: undefined,
      });
      // Proof the two took different ways: Next's app router marks its answers in Vary.
      expect(got.vary).not.toMatch(/\brsc\b/);
      expect(want.vary).toMatch(/\brsc\b/);
    }
  });

  it("answer the sync messages route's refusals as the Next route does", async () => {
    const calls: Call[] = [
      {
        method: "POST",
        path: "/api/sync/v1/messages",
        headers: { authorization: admin, ...json },
        body: "{}",
      },
      { method: "POST", path: "/api/sync/v1/messages", headers: json, body: "{}" },
      {
        method: "POST",
        path: "/api/sync/v1/messages",
        headers: { authorization: basic("nobody", "x"), ...json },
        body: "[",
      },
    ];
    for (const call of calls) {
      const [got, want] = [await answer(direct, call), await answer(viaNext, call)];
      expect({ ...got, vary: undefined }).toEqual({ ...want, vary: undefined });
      expect(got.vary).not.toMatch(/\brsc\b/);
    }
  });

  it("leave everything else to Next: HEAD, a trailing slash, a percent sign, attachments", async () => {
    const calls: Call[] = [
      { method: "HEAD", path: "/api/now/table/incident?sysparm_limit=1", headers: { authorization: admin } },
      { method: "GET", path: "/api/now/table/incident/", headers: { authorization: admin } },
      { method: "GET", path: "/api/now/table/inc%ZZident", headers: { authorization: admin } },
      { method: "GET", path: "/api/now/attachment", headers: { authorization: admin } },
    ];
    // A dot segment, sent as it is (fetch would resolve it first): Next resolves it, not us.
    const raw = async (inst: RunningInstance) => {
      const pool = new Pool(inst.url);
      try {
        const res = await pool.request({
          method: "GET",
          path: "/api/now/table/../table/incident?sysparm_limit=1&sysparm_fields=number&sysparm_query=ORDERBYnumber",
          headers: { authorization: admin },
        });
        return { status: res.statusCode, body: await res.body.text(), vary: String(res.headers.vary ?? "") };
      } finally {
        await pool.close();
      }
    };
    const [rawDirect, rawNext] = [await raw(direct), await raw(viaNext)];
    expect(rawDirect.vary).toMatch(/\brsc\b/);
    expect({ ...rawDirect, vary: "" }).toEqual({ ...rawNext, vary: "" });
    for (const call of calls) {
      const [got, want] = [await answer(direct, call), await answer(viaNext, call)];
      expect({ call: `${call.method} ${call.path}`, ...got }).toEqual({
        call: `${call.method} ${call.path}`,
        ...want,
      });
    }
  });

  it("keep one connection serving after refusals that left the body unread", async () => {
    // One connection: a refusal that did not read the body must not leave it stuck for the next request.
    const pool = new Pool(direct.url, { connections: 1, pipelining: 1 });
    try {
      const body = JSON.stringify({ messages: [], filler: "z".repeat(3_000) }); // under the 4 KiB limit
      const over = JSON.stringify({ filler: "z".repeat(6_000) });
      const calls = [
        {
          path: "/api/sync/v1/messages",
          headers: { authorization: basic("nobody", "x"), ...json },
          body,
          want: 401,
        },
        {
          path: "/api/now/table/incident",
          headers: { authorization: basic("admin", "wrong"), ...json },
          body,
          want: 401,
        },
        {
          path: "/api/now/table/incident",
          headers: { authorization: admin, ...json },
          body: over,
          want: 413,
        },
        { path: "/api/now/table/incident?sysparm_limit=1", headers: { authorization: admin }, want: 200 },
      ];
      for (const call of [...calls, ...calls]) {
        const res = await pool.request({
          path: call.path,
          method: call.body ? "POST" : "GET",
          headers: call.headers,
          ...(call.body ? { body: call.body } : {}),
          headersTimeout: 5_000,
          bodyTimeout: 5_000,
        });
        await res.body.text();
        expect(`${call.path} ${res.statusCode}`).toBe(`${call.path} ${call.want}`);
      }
    } finally {
      await pool.close();
    }
  });
});

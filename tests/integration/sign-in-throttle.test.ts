import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../server/db/client";
import { basic, type RunningInstance, startInstance } from "../support/instances";
import { type ApiClient, apiClient, failureOf } from "./api-client";

// Issue 12, defect 1: 60 wrong passwords for admin over HTTP Basic all got 401 and the right one
// worked at once. Now, against a real instance process with the default limits (10 failures
// per user name, 50 per address; the window is set to an hour), the 11th try gets 429 + Retry-After.

let inst: RunningInstance;
let admin: ApiClient;
const incidents = "/api/now/table/incident?sysparm_limit=1";

beforeAll(async () => {
  // An hour-long window (same limits): the shared machine is slow, and the buckets must not
  // drain noticeably while the test runs.
  inst = await startInstance({
    name: "throttle",
    env: { TANDEM_SEED: "empty", TANDEM_SIGNIN_WINDOW_SECONDS: "3600" },
  });
  admin = apiClient(inst);
});

afterAll(async () => {
  await inst?.stop();
});

async function create(userName: string, roles: string, password: string): Promise<void> {
  const res = await admin.post("/api/now/table/sys_user", {
    user_name: userName,
    roles,
    user_password: password,
  });
  expect(res.status).toBe(201);
}

describe("sign-in throttling", () => {
  it("the sync peer and other known callers keep working while an address sprays wrong names", async () => {
    await create("sync.peer", "sync_api", "peer-secret");
    await create("fresh.agent", "itil", "agent-pw");
    // The peer has signed in from here before (admin too: the creates above).
    expect(
      (await admin.get(incidents, { auth: { user: "sync.peer", password: "peer-secret" } })).status,
    ).toBe(403);
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++)
      statuses.push((await admin.get(incidents, { auth: { user: `guess${i}`, password: "x" } })).status);
    expect(statuses.slice(0, 50).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(50).every((s) => s === 429)).toBe(true);
    // Known pairs are unaffected; a user never seen from this address waits with the rest.
    expect((await admin.get(incidents)).status).toBe(200);
    expect(
      (await admin.get(incidents, { auth: { user: "sync.peer", password: "peer-secret" } })).status,
    ).toBe(403);
    expect((await admin.get(incidents, { auth: { user: "fresh.agent", password: "agent-pw" } })).status).toBe(
      429,
    );
  });

  it("wrong passwords for one user: 401 ten times, then 429 with Retry-After, even for the right one", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 15; i++)
      statuses.push((await admin.get(incidents, { auth: { user: "admin", password: `wrong${i}` } })).status);
    expect(statuses).toEqual([...Array(10).fill(401), ...Array(5).fill(429)]);
    const res = await admin.get(incidents);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(failureOf(res)).toEqual({
      message: "Too Many Requests",
      detail: expect.stringMatching(/^Too many failed sign-in attempts\. Try again in \d+ seconds?\.$/),
    });
  });

  it("tRPC over HTTP Basic answers 429 with Retry-After too", async () => {
    const res = await fetch(
      `${inst.url}/api/trpc/records.list?input=${encodeURIComponent('{"table":"incident"}')}`,
      {
        headers: { authorization: basic("admin", "admin") },
      },
    );
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("the wire's Basic is throttled for the sync user as well", async () => {
    const send = (password: string) =>
      fetch(`${inst.url}/api/sync/v1/messages`, {
        method: "POST",
        headers: { authorization: basic("sync.peer", password), "content-type": "application/json" },
        body: "[]",
      });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await send(`nope${i}`)).status);
    expect(statuses).toEqual([...Array(10).fill(401), 429, 429]);
    expect(Number((await send("nope")).headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("a client cannot dodge the address limit with its own x-forwarded-for", async () => {
    const res = await admin.get(incidents, {
      auth: { user: "someone.new", password: "x" },
      headers: { "x-forwarded-for": "198.51.100.23", "x-tandem-peer-address": "198.51.100.24" },
    });
    expect(res.status).toBe(429);
  });

  it("each throttled attempt is in the audit log", () => {
    const db = openDatabase({ file: path.join(inst.dataDir, "tandem.db") });
    try {
      const rows = db.$client
        .prepare(`SELECT "user", origin, new_value FROM audit_entry WHERE operation = 'sign_in_throttled'`)
        .all() as Array<{ user: string; origin: string; new_value: string }>;
      expect(rows.length).toBeGreaterThanOrEqual(10 + 6 + 1 + 3 + 1);
      expect(rows.filter((r) => r.user === "admin").length).toBeGreaterThanOrEqual(7);
      expect(JSON.parse(rows[0]?.new_value ?? "{}")).toMatchObject({ address: "127.0.0.1", via: "basic" });
    } finally {
      db.$client.close();
    }
  });
});

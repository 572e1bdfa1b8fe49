import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SessionStore, sessionCookie } from "../../server/auth/sessions";
import { openDatabase } from "../../server/db/client";
import { SqliteStorage } from "../../server/storage/sqlite";
import { type RunningInstance, startInstance } from "../support/instances";
import { type ApiClient, apiClient, failureOf, type RecordJson } from "./api-client";

// Who may use the Table API, and how (SPEC 1.3, 1.4), against a real started instance.

let inst: RunningInstance;
let admin: ApiClient;

beforeAll(async () => {
  inst = await startInstance({ name: "auth" });
  admin = apiClient(inst);
});

afterAll(async () => {
  await inst?.stop();
});

const incidentList = "/api/now/table/incident?sysparm_limit=1";

describe("authentication", () => {
  it("a wrong password: 401, and nothing is written", async () => {
    const before = await admin.count("incident");
    const res = await admin.post(
      "/api/now/table/incident",
      { short_description: "Not me" },
      { auth: { user: "admin", password: "wrong" } },
    );
    expect(res.status).toBe(401);
    expect(failureOf(res).message).toBe("User Not Authenticated");
    expect(res.headers.get("www-authenticate")).toBeNull(); // no browser prompt to cache credentials
    expect(await admin.count("incident")).toBe(before);
  });

  it("an unknown user: 401 with the same answer", async () => {
    const res = await admin.get(incidentList, { auth: { user: "nobody", password: "wrong" } });
    expect(res.status).toBe(401);
    expect(failureOf(res).detail).toBe("Wrong user name or password");
  });

  it("no credentials: 401", async () => {
    const before = await admin.count("incident");
    expect((await admin.get(incidentList, { auth: null })).status).toBe(401);
    const res = await admin.post(
      "/api/now/table/incident",
      { short_description: "Anonymous" },
      { auth: null },
    );
    expect(res.status).toBe(401);
    expect((await admin.get("/api/now/attachment", { auth: null })).status).toBe(401);
    expect(await admin.count("incident")).toBe(before);
  });
});

describe("sync_api users and passwords", () => {
  let peer: RecordJson;

  it("an admin creates a sync_api user and sets its password through sys_user", async () => {
    const created = await admin.post("/api/now/table/sys_user", {
      user_name: "peer.api",
      name: "Peer API",
      roles: "sync_api",
    });
    expect(created.status).toBe(201);
    peer = created.body.result;
    const set = await admin.patch(`/api/now/table/sys_user/${peer.sys_id}`, { user_password: "s3cret-peer" });
    expect(set.status).toBe(200);
    expect(JSON.stringify(set.body)).not.toContain("s3cret-peer");
    expect(Object.keys(set.body.result).filter((k) => /pass/i.test(k))).toEqual([]);
  });

  it("a sync_api user gets 403 on the Table and Attachment APIs, and changes nothing", async () => {
    const auth = { user: "peer.api", password: "s3cret-peer" };
    const before = await admin.count("incident");
    const list = await admin.get(incidentList, { auth });
    expect(list.status).toBe(403);
    expect(failureOf(list).detail).toMatch(/sync API/);
    const create = await admin.post("/api/now/table/incident", { short_description: "From peer" }, { auth });
    expect(create.status).toBe(403);
    expect((await admin.get("/api/now/attachment", { auth })).status).toBe(403);
    expect(await admin.count("incident")).toBe(before);
  });

  it("sys_user rows never carry password data", async () => {
    const users = await admin.get<{ result: RecordJson[] }>(
      "/api/now/table/sys_user?sysparm_display_value=all",
    );
    expect(users.status).toBe(200);
    expect(users.body.result.length).toBeGreaterThanOrEqual(7);
    for (const user of users.body.result) {
      expect(Object.keys(user).filter((k) => /pass|hash|credential/i.test(k))).toEqual([]);
    }
    expect(JSON.stringify(users.body)).not.toMatch(/scrypt/);
  });

  it("a new password replaces the old one at once", async () => {
    await admin.patch(`/api/now/table/sys_user/${peer.sys_id}`, { user_password: "rotated" });
    const old = await admin.get(incidentList, { auth: { user: "peer.api", password: "s3cret-peer" } });
    expect(old.status).toBe(401);
    const fresh = await admin.get(incidentList, { auth: { user: "peer.api", password: "rotated" } });
    expect(fresh.status).toBe(403); // known now, still not allowed
  });

  it("a user created with a password can sign in; a rejected create sets no password", async () => {
    const bad = await admin.post("/api/now/table/sys_user", {
      user_name: "half.made",
      roles: "itil",
      active: "maybe",
      user_password: "pw-half",
    });
    expect(bad.status).toBe(400);
    expect(failureOf(bad).message).toContain("active");
    expect(await admin.count("sys_user", "user_name=half.made")).toBe(0);
    expect((await admin.get(incidentList, { auth: { user: "half.made", password: "pw-half" } })).status).toBe(
      401,
    );

    const res = await admin.post("/api/now/table/sys_user", {
      user_name: "new.agent",
      name: "New Agent",
      roles: "itil",
      user_password: "pw-agent",
    });
    expect(res.status).toBe(201);
    expect(JSON.stringify(res.body)).not.toContain("pw-agent");
    expect(
      (await admin.get(incidentList, { auth: { user: "new.agent", password: "pw-agent" } })).status,
    ).toBe(200);
  });

  it("an empty password is refused and the old one kept", async () => {
    const res = await admin.patch(`/api/now/table/sys_user/${peer.sys_id}`, { user_password: "" });
    expect(res.status).toBe(400);
    expect(failureOf(res).message).toContain("user_password");
    expect((await admin.get(incidentList, { auth: { user: "peer.api", password: "rotated" } })).status).toBe(
      403,
    );
  });

  it("user_password is not a field of other tables", async () => {
    const res = await admin.post("/api/now/table/incident", { short_description: "x", user_password: "p" });
    expect(res.status).toBe(400);
    expect(failureOf(res).message).toContain("user_password");
  });
});

describe("roles", () => {
  const beth = { user: "beth.anglin", password: "beth.anglin" };
  const designer = { user: "designer", password: "designer" };

  it("an itil user works incidents, written as that user", async () => {
    const res = await admin.post("/api/now/table/incident", { short_description: "Beth's" }, { auth: beth });
    expect(res.status).toBe(201);
    expect(res.body.result.sys_created_by).toBe("beth.anglin");
  });

  it("only admins change users: an itil user cannot grant itself admin or set passwords", async () => {
    const me = await admin.get<{ result: RecordJson[] }>(
      "/api/now/table/sys_user?sysparm_query=user_name=beth.anglin",
    );
    const id = String(me.body.result[0]?.sys_id);
    const roles = await admin.patch(`/api/now/table/sys_user/${id}`, { roles: "admin" }, { auth: beth });
    expect(roles.status).toBe(403);
    const pw = await admin.patch(`/api/now/table/sys_user/${id}`, { user_password: "mine" }, { auth: beth });
    expect(pw.status).toBe(403);
    const after = await admin.get(`/api/now/table/sys_user/${id}`);
    expect(after.body.result.roles).toBe("itil");
    expect((await admin.get(incidentList, { auth: beth })).status).toBe(200); // old password still works
  });

  it("a user without itil reads but does not write records", async () => {
    const before = await admin.count("incident");
    expect((await admin.get(incidentList, { auth: designer })).status).toBe(200);
    const res = await admin.post(
      "/api/now/table/incident",
      { short_description: "Nope" },
      { auth: designer },
    );
    expect(res.status).toBe(403);
    expect(await admin.count("incident")).toBe(before);
  });
});

describe("session cookies", () => {
  // The login page belongs to the UI; the session here is made with the instance's own session
  // store on its database, which is exactly what a login does.
  async function sessionFor(userName: string): Promise<string> {
    const db = openDatabase({ file: path.join(inst.dataDir, "tandem.db") });
    try {
      const row = db.$client
        .prepare<[string], { sys_id: string }>(
          "SELECT sys_id FROM record WHERE table_name = 'sys_user' AND json_extract(data, '$.user_name') = ?",
        )
        .get(userName);
      if (!row) throw new Error(`no user ${userName}`);
      return (await new SessionStore(new SqliteStorage(db.$client), 3_600_000).create(row.sys_id)).token;
    } finally {
      db.$client.close();
    }
  }

  it("a session reads, and writes from its own origin as a UI write", async () => {
    const cookie = `${sessionCookie}=${encodeURIComponent(await sessionFor("beth.anglin"))}`;
    expect((await admin.get(incidentList, { auth: null, headers: { Cookie: cookie } })).status).toBe(200);
    const res = await admin.post(
      "/api/now/table/incident",
      { short_description: "From the browser" },
      { auth: null, headers: { Cookie: cookie, Origin: inst.url.replace("127.0.0.1", "localhost") } },
    );
    // Origin must match the Host the browser used: 127.0.0.1 here, so localhost is foreign.
    expect(res.status).toBe(403);
    const same = await admin.post(
      "/api/now/table/incident",
      { short_description: "From the browser" },
      { auth: null, headers: { Cookie: cookie, Origin: inst.url } },
    );
    expect(same.status).toBe(201);
    expect(same.body.result.sys_created_by).toBe("beth.anglin");
  });

  it("a mutation with a session from a foreign Origin: 403, nothing changed", async () => {
    const cookie = `${sessionCookie}=${encodeURIComponent(await sessionFor("admin"))}`;
    const before = await admin.count("incident");
    const res = await admin.post(
      "/api/now/table/incident",
      { short_description: "Forged" },
      { auth: null, headers: { Cookie: cookie, Origin: "https://evil.example" } },
    );
    expect(res.status).toBe(403);
    expect(failureOf(res).message).toMatch(/Cross-origin/);
    expect(await admin.count("incident")).toBe(before);
    const stranger = await admin.request(
      "DELETE",
      "/api/now/table/incident/0123456789abcdef0123456789abcdef",
      {
        auth: null,
        headers: { Cookie: cookie, "Sec-Fetch-Site": "cross-site" },
      },
    );
    expect(stranger.status).toBe(403);
  });

  it("an unknown session: 401", async () => {
    const res = await admin.get(incidentList, { auth: null, headers: { Cookie: `${sessionCookie}=forged` } });
    expect(res.status).toBe(401);
  });
});

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuthUser } from "../auth/roles";
import { loadConfig } from "../config/env";
import { createInstance, type Instance, stopInstance } from "../instance/instance";
import { RecordError } from "../util/errors";
import { appRouter, createCaller } from "./root";
import { apiOnlyAccount, signIn, wrongCredentials } from "./sign-in";
import { createContext } from "./trpc";

// The UI's procedures against a real (temporary) instance with the demo seed.

let inst: Instance;
let dataDir: string;
/** The demo users as they are signed in (read once the instance is up). */
const signedIn = new Map<string, AuthUser>();

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(process.env.TANDEM_TEST_DATA_ROOT ?? os.tmpdir(), "tandem-api-"));
  inst = await createInstance(
    loadConfig({
      ...process.env,
      TANDEM_INSTANCE: "alpha",
      TANDEM_DATA_DIR: dataDir,
      TANDEM_LOG_LEVEL: "silent",
      TANDEM_SEED: "demo",
      TANDEM_ADMIN_PASSWORD: "admin",
    }),
  );
  for (const name of ["admin", "beth.anglin", "operator", "david.loo", "designer", "sync.admin"]) {
    const record = await inst.users.findByName(name);
    const user = record ? await inst.users.toAuthUser(record.sys_id, "session") : null;
    if (user) signedIn.set(name, user);
  }
}, 30_000);

afterAll(async () => {
  await stopInstance(inst);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function userOf(userName: string): AuthUser {
  const user = signedIn.get(userName);
  if (!user) throw new Error(`no active user ${userName}`);
  return user;
}

const as = (userName: string | null) =>
  createCaller({ inst, user: userName ? userOf(userName) : null, authFailure: null });

describe("records procedures", () => {
  it("lists with display values, search and sort", async () => {
    const page = await as("beth.anglin").records.list({
      table: "incident",
      query: "short_descriptionLIKEprinter^ORDERBYDESCnumber",
    });
    expect(page.total).toBe(1);
    expect(page.rows[0]?.display.assignment_group).toBe("Hardware");
    expect(page.rows[0]?.display.state).toBe("New");
    expect(page.columns.map((c) => c.name)).toContain("short_description");
  });

  it("creates, comments and reads back with author names, newest entry first", async () => {
    const api = as("beth.anglin");
    const created = await api.records.create({
      table: "incident",
      values: { short_description: "Monitor dead", assignment_group: "Hardware", impact: "1" },
    });
    expect(created.display).toMatch(/^INC\d{7}$/);
    await api.records.addJournal({
      table: "incident",
      sysId: created.sysId,
      element: "comments",
      value: "first",
    });
    await api.records.addJournal({
      table: "incident",
      sysId: created.sysId,
      element: "work_notes",
      value: "second",
    });
    const view = await api.records.get({ table: "incident", sysId: created.sysId });
    expect(view.display.assignment_group).toBe("Hardware");
    expect(view.journal.map((j) => [j.value, j.elementLabel, j.authorName])).toEqual([
      ["second", "Work notes", "Beth Anglin"],
      ["first", "Additional comments", "Beth Anglin"],
    ]);
    const history = await api.records.history({ table: "incident", sysId: created.sysId });
    expect(
      history.some(
        (h) => h.operation === "create" && h.field === "assignment_group" && h.newValue === "Hardware",
      ),
    ).toBe(true);
    expect((await inst.records.get("incident", created.sysId))?.sys_created_by).toBe("beth.anglin");
  });

  it("keeps the field a record-service error names", async () => {
    const error = await as("beth.anglin")
      .records.create({ table: "incident", values: { short_description: "x", impact: "9" } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "BAD_REQUEST" });
    expect((error as { cause: unknown }).cause).toBeInstanceOf(RecordError);
    expect((error as { cause: RecordError }).cause.field).toBe("impact");
  });

  it("refuses writes the roles do not allow, and callers who may not use the UI", async () => {
    const admin = userOf("admin");
    await expect(
      as("beth.anglin").records.update({ table: "sys_user", sysId: admin.sysId, values: { roles: "itil" } }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      as("operator").records.create({ table: "incident", values: { short_description: "x" } }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(as(null).records.list({ table: "incident" })).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    await inst.users.create(
      { user_name: "peer", roles: "sync_api", password: "peer" },
      { userName: "t", origin: "system" },
    );
    const peer = await inst.users.findByName("peer");
    const peerUser = peer ? await inst.users.toAuthUser(peer.sys_id, "session") : null;
    if (peerUser) signedIn.set("peer", peerUser);
    await expect(as("peer").records.list({ table: "incident" })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("searches references by display value and looks one up by sys_id", async () => {
    const found = await as("beth.anglin").records.referenceSearch({ table: "sys_user_group", text: "hard" });
    expect(found.map((f) => f.display)).toEqual(["Hardware"]);
    const byId = await as("beth.anglin").records.referenceSearch({
      table: "sys_user_group",
      text: "",
      sysId: found[0]?.sysId,
    });
    expect(byId).toHaveLength(1);
    const users = await as("beth.anglin").records.referenceSearch({ table: "sys_user", text: "david" });
    expect(users[0]).toMatchObject({ display: "David Loo", detail: "david.loo" });
  });

  it("lists and deletes attachments as the signed-in user", async () => {
    const api = as("beth.anglin");
    const { sysId } = await api.records.create({
      table: "incident",
      values: { short_description: "with file" },
    });
    const added = await inst.attachments.add(
      {
        tableName: "incident",
        tableSysId: sysId,
        fileName: "a.txt",
        contentType: "text/plain",
        body: Buffer.from("hi"),
      },
      { userName: "beth.anglin", origin: "ui" },
    );
    expect(await api.attachments.list({ table: "incident", sysId })).toMatchObject([
      { fileName: "a.txt", sizeBytes: 2 },
    ]);
    await api.attachments.delete({ sysId: added.sys_id });
    expect(await api.attachments.list({ table: "incident", sysId })).toEqual([]);
  });
});

describe("over HTTP", () => {
  const call = (path: string, init: RequestInit) => {
    const request = new Request(`http://alpha.test/api/trpc/${path}`, init);
    return fetchRequestHandler({
      endpoint: "/api/trpc",
      req: request,
      router: appRouter,
      createContext: () => createContext(request, inst),
    });
  };

  it("answers a bad value with 400 and the field it names", async () => {
    const { token } = await inst.sessions.create(userOf("beth.anglin").sysId);
    const res = await call("records.create", {
      method: "POST",
      headers: {
        cookie: `tandem_session=${token}`,
        origin: "http://alpha.test",
        host: "alpha.test",
        "content-type": "application/json",
      },
      body: JSON.stringify({ table: "incident", values: { short_description: "x", state: "42" } }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string; data: { field: string } } };
    expect(body.error.data.field).toBe("state");
    expect(body.error.message).toContain("Invalid choice value");
  });

  it("refuses a cookie-authenticated mutation from another origin", async () => {
    const { token } = await inst.sessions.create(userOf("beth.anglin").sysId);
    const res = await call("records.create", {
      method: "POST",
      headers: {
        cookie: `tandem_session=${token}`,
        origin: "http://evil.test",
        host: "alpha.test",
        "content-type": "application/json",
      },
      body: JSON.stringify({ table: "incident", values: { short_description: "x" } }),
    });
    expect(res.status).toBe(403);
  });
});

describe("signing in", () => {
  it("says only 'wrong user name or password', refuses sync_api accounts, and opens a session otherwise", async () => {
    expect(await signIn(inst, "admin", "nope")).toEqual({ ok: false, error: wrongCredentials });
    expect(await signIn(inst, "nobody", "nope")).toEqual({ ok: false, error: wrongCredentials });
    await inst.users.create(
      { user_name: "peer2", roles: "sync_api", password: "pw" },
      { userName: "t", origin: "system" },
    );
    expect(await signIn(inst, "peer2", "pw")).toEqual({ ok: false, error: apiOnlyAccount });
    const ok = await signIn(inst, " admin ", "admin");
    if (!ok.ok) throw new Error(ok.error);
    expect(await inst.sessions.userOf(ok.token)).toBe(userOf("admin").sysId);
  }, 20_000); // five deliberately slow password hashes: generous on a loaded machine
});

describe("input validation over HTTP", () => {
  it("answers with the first problem in words and the field it concerns", async () => {
    const { token } = await inst.sessions.create(userOf("beth.anglin").sysId);
    const request = new Request("http://alpha.test/api/trpc/records.addJournal", {
      method: "POST",
      headers: {
        cookie: `tandem_session=${token}`,
        origin: "http://alpha.test",
        host: "alpha.test",
        "content-type": "application/json",
      },
      body: JSON.stringify({ table: "incident", sysId: "0".repeat(32), element: "comments", value: "   " }),
    });
    const res = await fetchRequestHandler({
      endpoint: "/api/trpc",
      req: request,
      router: appRouter,
      createContext: () => createContext(request, inst),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string; data: { field: string } } };
    expect(body.error.message).toBe("Write something first");
    expect(body.error.data.field).toBe("value");
  });
});

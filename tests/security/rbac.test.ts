import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../../server/api/root";
import type { Role } from "../../server/auth/roles";
import { restRouteList } from "../../server/rest/router";
import { sign } from "../../server/transport/signing";
import { basic, type RunningInstance, startInstance } from "../support/instances";
import { appRoutes } from "../support/routes";
import {
  everyone,
  type Fixture,
  procedureMatrix,
  type RouteAccess,
  routeMatrix,
  type Who,
} from "./rbac-matrix";

// Every tRPC procedure (read from the router itself) and every REST route (read from the route
// files and the Table API's route table) called as every role over real HTTP: denied calls must
// answer 401/403, allowed ones anything else but a 5xx. A procedure or route that is not in
// rbac-matrix.ts fails the test, so nothing new ships without a decision about who may call it.

// Writers (itil, admin) last, so a delete they are allowed does not turn the others' 403 into 404.
const order: Who[] = [
  "sync_admin",
  "flow_designer",
  "sync_operator",
  "sync_api",
  "anonymous",
  "itil",
  "admin",
];
const signingSecret = `whsec_${randomBytes(32).toString("base64")}`;

type ProcedureDef = { _def: { type: "query" | "mutation" | "subscription" } };
const procedures = Object.entries(
  (appRouter._def as unknown as { procedures: Record<string, ProcedureDef> }).procedures,
).map(([path, p]) => ({ path, type: p._def.type }));

function allRoutes(): string[] {
  const app = appRoutes().flatMap((r) =>
    r.path === "/api/now/:...path"
      ? restRouteList().map((n) => `${n.method} /api/now${n.pattern}`)
      : [`${r.method} ${r.path}`],
  );
  return [...new Set(app)].sort();
}

describe("security: RBAC matrix", () => {
  let inst: RunningInstance;
  const passwords = new Map<Who, string>();
  const userIds = new Map<Who, string>();
  let fixture: Fixture;

  const auth = (who: Who): Record<string, string> =>
    who === "anonymous" ? {} : { authorization: basic(`rbac.${who}`, passwords.get(who) ?? "") };
  async function call(
    method: string,
    path: string,
    who: Who,
    body?: string,
    headers: Record<string, string> = {},
  ) {
    const res = await fetch(`${inst.url}${path}`, {
      method,
      redirect: "manual",
      headers: {
        ...auth(who),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...headers,
      },
      ...(body === undefined ? {} : { body }),
    });
    const text = await res.text();
    return { status: res.status, text };
  }
  async function asAdmin<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${inst.url}${path}`, {
      method,
      headers: { authorization: basic("admin", "admin"), "content-type": "application/json" },
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
    const json = (await res.json()) as T;
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  }

  beforeAll(async () => {
    inst = await startInstance({ env: { TANDEM_SEED: "demo", TANDEM_ALLOW_PRIVATE_NETWORKS: "true" } });
    // ARRANGE: one user per role, created through the Table API as admin (roles live on sys_user).
    for (const who of everyone) {
      if (who === "anonymous") continue;
      const password = `pw-${who}-${randomBytes(6).toString("hex")}`;
      const created = await asAdmin<{ result: { sys_id: string } }>("POST", "/api/now/table/sys_user", {
        user_name: `rbac.${who}`,
        name: `RBAC ${who}`,
        roles: who,
        user_password: password,
      });
      passwords.set(who, password);
      userIds.set(who, created.result.sys_id);
    }
    const incident = await asAdmin<{ result: Array<{ sys_id: string }> }>(
      "GET",
      "/api/now/table/incident?sysparm_limit=1",
    );
    const flow = await asAdmin<{ result: { data: { id: string } } }>(
      "POST",
      "/api/trpc/flows.cloneTemplate",
      {
        templateId: "outbound-basic",
        name: "RBAC flow",
      },
    );
    await asAdmin("POST", "/api/trpc/flows.publish", { id: flow.result.data.id });
    const definition = await asAdmin<{ result: { data: { id: string } } }>(
      "POST",
      "/api/trpc/syncConfig.createDefinition",
      { name: "RBAC" },
    );
    const remote = await asAdmin<{ result: { data: { id: string } } }>(
      "POST",
      "/api/trpc/syncConfig.createRemote",
      {
        definitionId: definition.result.data.id,
        name: "rbac-peer",
        baseUrl: "http://127.0.0.1:9",
        signingSecret,
        inboundApiUserId: userIds.get("sync_api"),
      },
    );
    const incidentId = incident.result[0]?.sys_id ?? "";
    const attachment = await asAdmin<{ result: { sys_id: string } }>(
      "POST",
      `/api/now/attachment/file?table_name=incident&table_sys_id=${incidentId}&file_name=rbac.txt`,
      "attachment",
    );
    fixture = {
      incident: incidentId,
      flow: flow.result.data.id,
      remote: remote.result.data.id,
      definition: definition.result.data.id,
      attachment: attachment.result.sys_id,
      peerUser: "rbac.sync_api",
    };
    expect(Object.entries(fixture).filter(([, v]) => !v)).toEqual([]);
  });
  afterAll(async () => {
    await inst?.stop();
    if (inst) fs.rmSync(inst.dataDir, { recursive: true, force: true });
  });

  it("has a decision for every tRPC procedure and every REST route", () => {
    const unknownProcedures = procedures.map((p) => p.path).filter((p) => !(p in procedureMatrix));
    const staleProcedures = Object.keys(procedureMatrix).filter((p) => !procedures.some((x) => x.path === p));
    const routes = allRoutes();
    const unknownRoutes = routes.filter((r) => !(r in routeMatrix));
    const staleRoutes = Object.keys(routeMatrix).filter((r) => !routes.includes(r));
    const problems = [
      ...unknownProcedures.map(
        (p) => `procedure ${p} has no expected access: add it to the matrix (tests/security/rbac-matrix.ts)`,
      ),
      ...unknownRoutes.map(
        (r) => `route ${r} has no expected access: add it to the matrix (tests/security/rbac-matrix.ts)`,
      ),
      ...staleProcedures.map((p) => `procedure ${p} is in the matrix but not in the router`),
      ...staleRoutes.map((r) => `route ${r} is in the matrix but not in app/`),
    ];
    expect(problems).toEqual([]);
    expect(procedures.length).toBeGreaterThan(40);
  });

  const allowed = (allow: readonly Role[] | string, who: Who): boolean => {
    if (allow === "public") return true;
    if (allow === "peer") return who === "sync_api";
    if (who === "anonymous" || who === "sync_api") return false;
    return who === "admin" || (allow as readonly Role[]).includes(who);
  };
  const verdict = (
    path: string,
    who: Who,
    expectAllowed: boolean,
    status: number,
    text: string,
  ): string | null => {
    const denied = status === 401 || status === 403;
    if (status >= 500) return `${path} as ${who}: ${status} ${text.slice(0, 200)}`;
    if (expectAllowed && denied)
      return `${path} as ${who}: refused with ${status} but the matrix allows it (${text.slice(0, 160)})`;
    if (!expectAllowed && !denied)
      return `${path} as ${who}: answered ${status}, expected 401/403 (${text.slice(0, 160)})`;
    return null;
  };

  it("lets every role call exactly the tRPC procedures the matrix allows", async () => {
    const problems: string[] = [];
    let checks = 0;
    for (const who of order) {
      for (const p of procedures) {
        const access = procedureMatrix[p.path];
        if (!access) continue; // reported by the first test
        const input = access.input?.(fixture);
        const res =
          p.type === "query"
            ? await call(
                "GET",
                `/api/trpc/${p.path}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`}`,
                who,
              )
            : await call(
                "POST",
                `/api/trpc/${p.path}`,
                who,
                input === undefined ? undefined : JSON.stringify(input),
                {
                  "content-type": "application/json",
                },
              );
        checks += 1;
        const problem = verdict(p.path, who, allowed(access.allow, who), res.status, res.text);
        if (problem) problems.push(problem);
      }
    }
    console.log(
      `rbac: ${procedures.length} tRPC procedures × ${order.length} roles = ${checks} checks, ${problems.length} problems`,
    );
    expect(problems).toEqual([]);
  });

  it("lets every role call exactly the REST routes the matrix allows", async () => {
    const problems: string[] = [];
    let checks = 0;
    const routes = allRoutes().filter((r) => routeMatrix[r] && routeMatrix[r]?.allow !== "trpc");
    for (const who of order) {
      for (const key of routes) {
        const access = routeMatrix[key] as RouteAccess;
        const [method = "GET", pattern = "/"] = key.split(" ");
        const path = access.path?.(fixture) ?? pattern;
        const body = access.body?.(fixture) ?? (["POST", "PUT", "PATCH"].includes(method) ? "{}" : undefined);
        const headers: Record<string, string> = access.contentType
          ? { "content-type": access.contentType }
          : {};
        if (access.allow === "peer") {
          // Signed as the peer would sign; only the credential differs between roles.
          const signed =
            method === "PUT" ? `not-a-key.${"0".repeat(64)}.${Buffer.byteLength(body ?? "")}` : (body ?? "");
          Object.assign(headers, sign(signingSecret, `rbac-${randomBytes(4).toString("hex")}`, signed));
          if (method === "PUT") headers["x-tandem-hash"] = "0".repeat(64);
        }
        const res =
          key === "GET /api/live"
            ? await openStream(`${inst.url}${path}`, auth(who))
            : await call(method, path, who, body, headers);
        checks += 1;
        const problem = verdict(key, who, allowed(access.allow, who), res.status, res.text);
        if (problem) problems.push(problem);
      }
    }
    console.log(
      `rbac: ${routes.length} REST routes × ${order.length} roles = ${checks} checks, ${problems.length} problems`,
    );
    expect(problems).toEqual([]);
  });
});

/** The status of a server-sent event stream, closed as soon as its headers arrive. */
async function openStream(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; text: string }> {
  const controller = new AbortController();
  const res = await fetch(url, { headers, signal: controller.signal });
  const status = res.status;
  const text = status === 200 ? "" : await res.text();
  controller.abort();
  return { status, text };
}

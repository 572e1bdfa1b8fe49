import { randomBytes } from "node:crypto";
import Database from "better-sqlite3";
import { registerPayloadSql } from "../../server/queue/payload-codec";
import { basic, freePort, type RunningInstance, startInstance, tempDataDir } from "./instances";
import { pgQuerySync } from "./test-backend";

// Two real instances paired by the demo seed (the hardware-request scenario both ways), each its
// own instance process (scripts/server.mjs) with its own SQLite file, talking real HTTP.

export interface PairMember {
  inst: RunningInstance;
  port: number;
  dataDir: string;
  env: Record<string, string>;
}

export interface Pair {
  alpha: PairMember;
  beta: PairMember;
  secret: string;
  stop(): Promise<void>;
}

export async function startPair(
  extraEnv: Record<string, string> = {},
  perInstance: { alpha?: Record<string, string>; beta?: Record<string, string> } = {},
): Promise<Pair> {
  const secret = randomBytes(16).toString("hex");
  const ports = { alpha: await freePort(), beta: await freePort() };
  const member = (name: "alpha" | "beta"): Omit<PairMember, "inst"> => {
    const peer = name === "alpha" ? "beta" : "alpha";
    return {
      port: ports[name],
      // A test may put a member's data folder somewhere of its own (e.g. a small tmpfs).
      dataDir: perInstance[name]?.TANDEM_DATA_DIR ?? tempDataDir(name),
      env: {
        TANDEM_SEED: "demo",
        TANDEM_DEMO_PAIRING: secret,
        TANDEM_DEMO_PEER: peer,
        TANDEM_DEMO_PEER_URL: `http://127.0.0.1:${ports[peer]}`,
        ...extraEnv,
        ...perInstance[name],
      },
    };
  };
  const a = member("alpha");
  const b = member("beta");
  const [alpha, beta] = await Promise.all([
    startInstance({ name: "alpha", port: a.port, dataDir: a.dataDir, env: a.env }),
    startInstance({ name: "beta", port: b.port, dataDir: b.dataDir, env: b.env }),
  ]);
  const pair: Pair = {
    alpha: { ...a, inst: alpha },
    beta: { ...b, inst: beta },
    secret,
    async stop() {
      await Promise.all([pair.alpha.inst.stop(), pair.beta.inst.stop()]);
    },
  };
  try {
    await waitFor(
      () => remoteState(pair.alpha).outbound === "active" && remoteState(pair.beta).outbound === "active",
      20_000,
      "the pair to validate",
    );
  } catch (error) {
    await pair.stop(); // never leave the processes behind
    throw error;
  }
  return pair;
}

/** Restarts a member on the same port and data folder (after stop or kill). */
export async function restart(member: PairMember, name: "alpha" | "beta"): Promise<void> {
  member.inst = await startInstance({ name, port: member.port, dataDir: member.dataDir, env: member.env });
}

/** Read-only look into an instance's database, for assertions on queues and correlations. */
export function query<T>(member: PairMember, sql: string, ...params: unknown[]): T[] {
  if (member.inst.databaseUrl) return pgQuerySync<T>(member.inst.databaseUrl, sql, params);
  const db = new Database(`${member.dataDir}/tandem.db`, { readonly: true, fileMustExist: true });
  registerPayloadSql(db); // tandem_payload(payload), for payloadSysIdSql and searches in payloads
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

export function remoteState(member: PairMember): {
  id: string;
  outbound: string;
  inbound: string;
  message: string;
} {
  const row = query<{ id: string; outbound_state: string; inbound_state: string; state_message: string }>(
    member,
    "SELECT id, outbound_state, inbound_state, state_message FROM remote_system LIMIT 1",
  )[0];
  return {
    id: row?.id ?? "",
    outbound: row?.outbound_state ?? "",
    inbound: row?.inbound_state ?? "",
    message: row?.state_message ?? "",
  };
}

export const admin = basic("admin", "admin");

/** Table API call as admin; returns the parsed JSON body and the status. */
export async function api<T = { result: Record<string, string> }>(
  member: PairMember,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${member.inst.url}${path}`, {
    method,
    headers: { authorization: admin, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

/** Calls a tRPC mutation over HTTP as admin. */
export async function trpc<T>(member: PairMember, path: string, input: unknown): Promise<T> {
  const res = await fetch(`${member.inst.url}/api/trpc/${path}`, {
    method: "POST",
    headers: { authorization: admin, "content-type": "application/json" },
    body: JSON.stringify(input),
  });
  const json = (await res.json()) as { result?: { data: T }; error?: { message: string } };
  if (!res.ok || !json.result)
    throw new Error(`tRPC ${path} failed: ${res.status} ${json.error?.message ?? ""}`);
  return json.result.data;
}

/** Calls a tRPC mutation that must fail; its message and data (the detail says what to do). */
export async function trpcError(member: PairMember, path: string, input: unknown): Promise<string> {
  const res = await fetch(`${member.inst.url}/api/trpc/${path}`, {
    method: "POST",
    headers: { authorization: admin, "content-type": "application/json" },
    body: JSON.stringify(input),
  });
  const json = (await res.json()) as { error?: { message: string; data?: { detail?: string } } };
  if (res.ok) throw new Error(`tRPC ${path} succeeded; a refusal was expected`);
  return `${json.error?.message ?? ""} ${JSON.stringify(json.error?.data ?? {})}`;
}

export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function hardwareGroup(member: PairMember): Promise<string> {
  const res = await api<{ result: Array<{ sys_id: string }> }>(
    member,
    "GET",
    "/api/now/table/sys_user_group?sysparm_query=name=Hardware",
  );
  const id = res.body.result[0]?.sys_id;
  if (!id) throw new Error("No Hardware group");
  return id;
}

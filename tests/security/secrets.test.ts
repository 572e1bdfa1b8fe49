import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../../server/api/root";
import { demoCredentials } from "../../server/instance/demo-sync-seed";
import {
  admin,
  api,
  hardwareGroup,
  type Pair,
  type PairMember,
  query,
  startPair,
  trpc,
  waitFor,
} from "../support/pair";
import { findNeedles, type Needle, needleForms } from "../support/secret-needles";

// Walks every tRPC query (read from the router, with ids taken from the list queries) and every
// page under app/(ui) as admin on both members of a real pair, and fails if a remote system's
// outbound password, the pair's signing secret, an instance key, the demo pairing secret or a
// pairing invitation (token or secret) appears in any response, plain or encoded.

type Procedure = { _def: { type: "query" | "mutation" | "subscription" } };
const queries = Object.entries(
  (appRouter._def as unknown as { procedures: Record<string, Procedure> }).procedures,
)
  .filter(([, p]) => p._def.type === "query")
  .map(([name]) => name);

/** What the walk learned from earlier answers, to give later queries ids that exist. */
interface Known {
  tables: string[];
  records: Array<{ table: string; sysId: string }>;
  flows: string[];
  executions: string[];
  queueRows: Array<{ queue: "outbound" | "inbound"; id: number }>;
  /** Initial sync jobs of the instance (read from its database when the walk starts). */
  jobs: string[];
}

/** Inputs per query, in walk order (list queries first). A query missing here fails the test. */
const walk: Array<[string, (k: Known) => unknown[]]> = [
  ["records.tables", () => [undefined]],
  ["records.list", (k) => k.tables.map((table) => ({ table, limit: 100 }))],
  ["records.get", (k) => k.records.map((r) => ({ table: r.table, sysId: r.sysId }))],
  ["records.history", (k) => k.records.map((r) => ({ table: r.table, sysId: r.sysId }))],
  ["records.referenceSearch", (k) => k.tables.map((table) => ({ table, text: "", limit: 50 }))],
  [
    "attachments.list",
    (k) => k.records.filter((r) => r.table === "incident").map((r) => ({ table: r.table, sysId: r.sysId })),
  ],
  [
    "correlations.ofRecord",
    (k) => k.records.filter((r) => r.table === "incident").map((r) => ({ table: r.table, sysId: r.sysId })),
  ],
  ["dashboard.summary", () => [undefined]],
  ["syncConfig.overview", () => [undefined]],
  ["syncConfig.choices", () => [undefined]],
  ["syncConfig.setup", () => [undefined]],
  [
    "queues.list",
    () => [
      { queue: "outbound", limit: 500 },
      { queue: "inbound", limit: 500 },
    ],
  ],
  ["queues.row", (k) => k.queueRows.map((r) => ({ queue: r.queue, id: r.id }))],
  ["queues.facets", () => [{ queue: "outbound" }, { queue: "inbound" }]],
  ["flows.list", () => [undefined]],
  ["flows.templates", () => [undefined]],
  ["flows.get", (k) => k.flows.map((id) => ({ id }))],
  ["flows.versions", (k) => k.flows.map((id) => ({ id }))],
  ["flows.version", (k) => k.flows.map((id) => ({ id, version: 1 }))],
  ["flows.inboundSamples", () => [{ limit: 100 }]],
  ["flows.executions", () => [{ limit: 500 }]],
  ["flows.execution", (k) => k.executions.map((id) => ({ id }))],
  ["flowStats.figures", (k) => k.flows.map((flowId) => ({ flowId }))],
  // The whole configuration as files: remote systems are in it, their secrets must not be.
  ["configAsCode.exportFiles", () => [undefined]],
  ["alerts.list", () => [undefined]],
  ["initialSync.options", () => [undefined]],
  ["initialSync.list", () => [undefined]],
  ["initialSync.get", (k) => k.jobs.map((id) => ({ id }))],
  ["initialSync.preview", (k) => k.jobs.map(() => ({ definitionId: "", remoteSystemId: "", condition: "" }))],
];

function pages(): string[] {
  const root = path.join(process.cwd(), "app");
  const found: string[] = [];
  const visit = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) visit(full);
      else if (e.name === "page.tsx") {
        const segments = path
          .relative(root, dir)
          .split(path.sep)
          .filter((s) => s && !/^\(.*\)$/.test(s));
        found.push(`/${segments.join("/")}`);
      }
    }
  };
  visit(root);
  return found.sort();
}

describe("security: no secret in any response", () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair();
  });
  afterAll(async () => {
    await pair?.stop();
    for (const m of [pair?.alpha, pair?.beta]) if (m) fs.rmSync(m.dataDir, { recursive: true, force: true });
  });

  it("walks every tRPC query and page as admin on both instances and finds no secret", async () => {
    // ARRANGE: traffic both ways (a Hardware incident with a comment and an attachment, synced),
    // and an open pairing invitation on alpha.
    const group = await hardwareGroup(pair.alpha);
    const created = await api(pair.alpha, "POST", "/api/now/table/incident", {
      short_description: "Secrets walk",
      assignment_group: group,
      comments: "with a comment",
    });
    await fetch(
      `${pair.alpha.inst.url}/api/now/attachment/file?table_name=incident&table_sys_id=${created.body.result.sys_id}&file_name=note.txt`,
      { method: "POST", headers: { authorization: admin, "content-type": "text/plain" }, body: "attached" },
    );
    await waitFor(
      () =>
        query<{ n: number }>(
          pair.beta,
          "SELECT count(*) AS n FROM inbound_queue WHERE status = 'processed'",
        )[0]?.n !== 0,
      20_000,
      "beta to process the incident",
    );
    const invitation = await trpc<{ token: string }>(pair.alpha, "syncConfig.createInvitation", undefined);
    // An initial sync job, so its page and report are walked too.
    await trpc(pair.alpha, "initialSync.start", {
      definitionId: query<{ id: string }>(pair.alpha, "SELECT id FROM sync_definition LIMIT 1")[0]?.id,
      remoteSystemId: query<{ id: string }>(pair.alpha, "SELECT id FROM remote_system LIMIT 1")[0]?.id,
      condition: "short_description=Secrets walk",
      mode: "link",
      linkField: "number",
    });

    const needles: Needle[] = [];
    const secret = (label: string, value: string | undefined) => {
      if (value) needles.push(...needleForms(label, value));
    };
    for (const [self, peer] of [
      ["alpha", "beta"],
      ["beta", "alpha"],
    ] as const) {
      const c = demoCredentials(pair.secret, self, peer);
      secret(`${self}'s outbound password for ${peer}`, c.password);
      secret(`signing secret ${self}/${peer}`, c.signingSecret);
    }
    secret("demo pairing secret", pair.secret);
    for (const m of [pair.alpha, pair.beta])
      secret(
        `instance key of ${m.inst.name}`,
        fs.readFileSync(path.join(m.dataDir, "secret.key"), "utf8").trim(),
      );
    secret("invitation token", invitation.token);
    secret("invitation secret", invitationSecret(invitation.token));
    expect(needles.length).toBeGreaterThan(20);

    // ACT / ASSERT
    const leaks: string[] = [];
    let responses = 0;
    const statuses = new Map<number, number>();
    const check = (where: string, status: number, text: string) => {
      responses += 1;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status >= 500) leaks.push(`${where}: answered ${status}`);
      for (const label of findNeedles(text, needles)) leaks.push(`${where} shows the ${label}`);
    };
    const missing = queries.filter((q) => !walk.some(([name]) => name === q));
    expect(missing.map((q) => `query ${q} is not walked: add it to tests/security/secrets.test.ts`)).toEqual(
      [],
    );

    for (const member of [pair.alpha, pair.beta]) {
      const jobs = query<{ id: string }>(member, "SELECT id FROM initial_sync_job").map((j) => j.id);
      const known: Known = { tables: [], records: [], flows: [], executions: [], queueRows: [], jobs };
      for (const [name, inputsOf] of walk) {
        for (const input of inputsOf(known)) {
          const { status, text, data } = await getQuery(member, name, input);
          check(`${member.inst.name} ${name}(${JSON.stringify(input) ?? ""})`, status, text);
          learn(known, name, input, data);
        }
      }
      const paths = pages().flatMap((p) => expandPage(p, known, member));
      for (const p of paths) {
        const res = await fetch(`${member.inst.url}${p}`, {
          headers: { authorization: admin },
          redirect: "manual",
        });
        check(`${member.inst.name} page ${p}`, res.status, await res.text());
      }
      // The pages are not blank: the walk saw real ids.
      expect(known.flows.length * known.records.length * known.executions.length).toBeGreaterThan(0);
    }
    console.log(
      `secrets: ${responses} responses checked (${queries.length} tRPC queries, ${pages().length} pages, 2 instances) for ${needles.length} secret forms (statuses ${[...statuses].map(([c, n]) => `${c}×${n}`).join(" ")}), ${leaks.length} leaks`,
    );
    expect(leaks).toEqual([]);
  }, 240_000);
});

/** The secret inside an invitation token ("tandem-pair:" + base64url JSON, server/sync/pairing.ts). */
function invitationSecret(token: string): string {
  const parsed = JSON.parse(
    Buffer.from(token.replace(/^tandem-pair:/, ""), "base64url").toString("utf8"),
  ) as {
    secret?: string;
  };
  if (!parsed.secret) throw new Error("The invitation token carries no secret");
  return parsed.secret;
}

async function getQuery(member: PairMember, name: string, input: unknown) {
  const qs = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  const res = await fetch(`${member.inst.url}/api/trpc/${name}${qs}`, { headers: { authorization: admin } });
  const text = await res.text();
  let data: unknown = null;
  try {
    data = (JSON.parse(text) as { result?: { data?: unknown } }).result?.data ?? null;
  } catch {
    // not JSON: checked as text all the same
  }
  return { status: res.status, text, data };
}

function learn(k: Known, name: string, input: unknown, data: unknown): void {
  const rows = (d: unknown): Array<Record<string, unknown>> =>
    Array.isArray(d)
      ? d
      : d && typeof d === "object" && Array.isArray((d as { rows?: unknown }).rows)
        ? (d as { rows: [] }).rows
        : [];
  if (name === "records.tables") k.tables = rows(data).map((t) => String(t.name));
  if (name === "records.list") {
    const table = (input as { table: string }).table;
    for (const r of rows(data).slice(0, 5)) k.records.push({ table, sysId: String(r.sysId) });
  }
  if (name === "flows.list") k.flows = rows(data).map((f) => String(f.id));
  if (name === "flows.executions")
    k.executions = rows(data)
      .slice(0, 30)
      .map((e) => String(e.id));
  if (name === "queues.list") {
    const queue = (input as { queue: "outbound" | "inbound" }).queue;
    for (const r of rows(data).slice(0, 20)) k.queueRows.push({ queue, id: Number(r.id) });
  }
}

function expandPage(page: string, k: Known, member: PairMember): string[] {
  const remotes = query<{ id: string }>(member, "SELECT id FROM remote_system");
  const definitions = query<{ id: string }>(member, "SELECT id FROM sync_definition");
  if (page === "/records/[table]") return k.tables.map((t) => `/records/${t}`);
  if (page === "/records/[table]/[sysId]") return k.records.map((r) => `/records/${r.table}/${r.sysId}`);
  if (page === "/flows/[id]") return k.flows.map((id) => `/flows/${id}`);
  if (page === "/executions/[id]" || page === "/flows/executions/[id]")
    return k.executions.slice(0, 5).map((id) => page.replace("[id]", id));
  if (page === "/sync/remotes/[id]") return remotes.map((r) => `/sync/remotes/${r.id}`);
  if (page === "/sync/definitions/[id]") return definitions.map((d) => `/sync/definitions/${d.id}`);
  if (page === "/sync/initial-sync/[id]") return k.jobs.map((id) => `/sync/initial-sync/${id}`);
  // "Try with draft" of a queue row: the row's flow opened with the row's dry run.
  if (page === "/flows/try/[queue]/[id]")
    return k.queueRows.slice(0, 5).map((r) => `/flows/try/${r.queue}/${r.id}`);
  if (page.includes("["))
    throw new Error(`Page ${page} has parameters the secrets walk cannot fill: add it to expandPage`);
  return [page];
}

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trpcQuery } from "../support/broken-inbound";
import {
  api,
  type Pair,
  type PairMember,
  query,
  remoteState,
  restart,
  startPair,
  trpc,
  trpcError,
  waitFor,
} from "../support/pair";

// The incident template set (issue 17), applied to a real pair in one call on alpha: alpha asks
// beta (signed) to apply its half, then applies its own. Afterwards incidents travel both ways,
// whatever their group (the demo's hardware scenario only sends Hardware ones).

const EVENT = "Incidents alpha ⇄ beta";
const PULL_TOTAL = 60;
const PULL_ON_ALPHA = 20;

interface PullView {
  status: string;
  direction: string;
  total: number;
  enqueued: number;
  createdBy: string;
  report: Record<string, number> | null;
  events: Array<{ action: string; user: string }>;
}

interface Applied {
  definitionId: string;
  definitionName: string;
  event: string;
  created: boolean;
}

/** What the set makes on one side: its event, definition, capture, bindings and published flows. */
function configOf(member: PairMember) {
  const count = (sql: string, ...params: unknown[]) =>
    query<{ n: number }>(member, sql, ...params)[0]?.n ?? 0;
  return {
    definitions: count("SELECT count(*) AS n FROM sync_definition"),
    events: count("SELECT count(*) AS n FROM process_event WHERE name = ?", EVENT),
    captures: count(
      `SELECT count(*) AS n FROM capture_definition c JOIN process_event e ON e.id = c.process_event_id
       WHERE e.name = ? AND c.source_table = 'incident'`,
      EVENT,
    ),
    bindings: count(
      `SELECT count(*) AS n FROM flow_binding b JOIN process_event e ON e.id = b.process_event_id
       WHERE e.name = ? AND b.active = 1`,
      EVENT,
    ),
    flows: count("SELECT count(*) AS n FROM flow"),
    published: count("SELECT count(DISTINCT flow_id) AS n FROM flow_version"),
  };
}

async function incidentsOn(member: PairMember, shortDescription: string): Promise<number> {
  const res = await api<{ result: unknown[] }>(
    member,
    "GET",
    `/api/now/table/incident?sysparm_query=${encodeURIComponent(`short_description=${shortDescription}`)}`,
  );
  return res.body.result.length;
}

describe("template sets", () => {
  let pair: Pair;
  let remoteSystemId: string;
  let definitionId = "";
  /** beta's incidents for the pull at the end; alpha holds the first PULL_ON_ALPHA under the same number. */
  const pullNumbers: string[] = [];
  beforeAll(async () => {
    pair = await startPair();
    remoteSystemId = remoteState(pair.alpha).id;
    // Made before any set: the demo's captures send neither (beta sends updates, alpha Hardware).
    for (let i = 0; i < PULL_TOTAL; i++) {
      const res = await api(pair.beta, "POST", "/api/now/table/incident", { short_description: `Pull ${i}` });
      pullNumbers.push(res.body.result.number ?? "");
    }
    for (let i = 0; i < PULL_ON_ALPHA; i++)
      await api(pair.alpha, "POST", "/api/now/table/incident", {
        short_description: `Pull legacy ${i}`,
        number: pullNumbers[i],
      });
  });
  afterAll(async () => {
    await pair?.stop();
  });

  it("refuses a set that does not exist, and changes nothing", async () => {
    const before = [configOf(pair.alpha), configOf(pair.beta)];
    expect(
      await trpcError(pair.alpha, "syncConfig.applyTemplateSet", { remoteSystemId, set: "changes" }),
    ).toMatch(/No template set is called "changes".*incident/);
    expect([configOf(pair.alpha), configOf(pair.beta)]).toEqual(before);
  });

  it("refuses a second process on incidents with the same remote (the demo's), and changes nothing", async () => {
    const before = [configOf(pair.alpha), configOf(pair.beta)];
    expect(
      await trpcError(pair.alpha, "syncConfig.applyTemplateSet", { remoteSystemId, set: "incident" }),
    ).toMatch(/alpha already syncs incident records with beta through "Hardware Request".*Deactivate/);
    expect([configOf(pair.alpha), configOf(pair.beta)]).toEqual(before);
    // From here on the demo's process is switched off on both sides, as the message says.
    for (const member of [pair.alpha, pair.beta]) {
      for (const { id } of query<{ id: string }>(member, "SELECT id FROM flow_binding WHERE active = 1"))
        await trpc(member, "syncConfig.updateBinding", { id, data: { active: false } });
    }
  });

  it("refuses while the peer is down, says nothing changed, and changes nothing", async () => {
    const before = configOf(pair.alpha);
    await pair.beta.inst.stop();
    try {
      expect(
        await trpcError(pair.alpha, "syncConfig.applyTemplateSet", { remoteSystemId, set: "incident" }),
      ).toMatch(/beta did not apply the template set.*Nothing was changed here/);
      expect(configOf(pair.alpha)).toEqual(before);
    } finally {
      await restart(pair.beta, "beta");
    }
  });

  it("the peer's endpoint refuses a caller that is not its paired instance", async () => {
    const res = await fetch(`${pair.beta.inst.url}/api/sync/v1/template-sets/apply`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from("admin:admin").toString("base64")}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ set: "incident", event: EVENT }),
    });
    expect(res.status).toBeGreaterThanOrEqual(401);
    expect(res.status).toBeLessThanOrEqual(403);
    expect(configOf(pair.beta).events).toBe(0);
  });

  it("applies on both sides in one call; incidents then travel both ways", async () => {
    const before = { alpha: configOf(pair.alpha), beta: configOf(pair.beta) };
    const applied = await trpc<Applied>(pair.alpha, "syncConfig.applyTemplateSet", {
      remoteSystemId,
      set: "incident",
    });
    expect(applied).toMatchObject({ event: EVENT, definitionName: "Incidents with beta", created: true });
    definitionId = applied.definitionId;
    for (const side of ["alpha", "beta"] as const) {
      expect(configOf(pair[side])).toEqual({
        definitions: before[side].definitions + 1,
        events: 1,
        captures: 1,
        bindings: 2,
        flows: before[side].flows + 3,
        published: before[side].published + 3,
      });
    }
    // Still active: the set does not touch the connection.
    expect(remoteState(pair.alpha).outbound).toBe("active");

    await api(pair.alpha, "POST", "/api/now/table/incident", { short_description: "Set: alpha to beta" });
    await waitFor(
      async () => (await incidentsOn(pair.beta, "Set: alpha to beta")) === 1,
      15_000,
      "alpha → beta",
    );
    await api(pair.beta, "POST", "/api/now/table/incident", { short_description: "Set: beta to alpha" });
    await waitFor(
      async () => (await incidentsOn(pair.alpha, "Set: beta to alpha")) === 1,
      15_000,
      "beta → alpha",
    );
    // No echo: each stays one record on each side.
    await new Promise((r) => setTimeout(r, 500));
    expect(await incidentsOn(pair.alpha, "Set: alpha to beta")).toBe(1);
    expect(await incidentsOn(pair.beta, "Set: beta to alpha")).toBe(1);
  });

  it("applied again (a retried action) finds what it made on both sides and adds nothing", async () => {
    const before = [configOf(pair.alpha), configOf(pair.beta)];
    const again = await trpc<Applied>(pair.alpha, "syncConfig.applyTemplateSet", {
      remoteSystemId,
      set: "incident",
    });
    expect(again).toMatchObject({ event: EVENT, created: false });
    expect([configOf(pair.alpha), configOf(pair.beta)]).toEqual(before);
  });

  it("the checklist follows: set applied, active, synced", async () => {
    const res = await fetch(`${pair.alpha.inst.url}/api/trpc/syncConfig.setup`, {
      headers: { authorization: `Basic ${Buffer.from("admin:admin").toString("base64")}` },
    });
    const setup = ((await res.json()) as { result: { data: { remotes: Array<Record<string, unknown>> } } })
      .result.data;
    expect(setup.remotes).toEqual([
      expect.objectContaining({
        name: "beta",
        outboundState: "active",
        inboundState: "active",
        set: expect.objectContaining({ event: EVENT }),
        bound: true,
        synced: true,
      }),
    ]);
  });
  it("a pull with a condition beta cannot run is refused with beta's reason, and starts nothing", async () => {
    expect(
      await trpcError(pair.alpha, "initialSync.start", {
        definitionId,
        remoteSystemId,
        condition: "nosuchfield=1",
        mode: "create",
        direction: "pull",
      }),
    ).toMatch(/beta refused.*Invalid condition/);
    for (const member of [pair.alpha, pair.beta])
      expect(query<{ n: number }>(member, "SELECT count(*) AS n FROM initial_sync_job")[0]?.n).toBe(0);
  });

  it("brings beta's incidents here (the job runs on beta), linking the ones alpha holds by number", async () => {
    const preview = await trpcQuery<{ count: number; table: string }>(pair.alpha, "initialSync.preview", {
      definitionId,
      remoteSystemId,
      condition: "short_descriptionSTARTSWITHPull ",
      direction: "pull",
    });
    expect(preview).toMatchObject({ count: PULL_TOTAL, table: "incident" });
    const { id } = await trpc<{ id: string }>(pair.alpha, "initialSync.start", {
      definitionId,
      remoteSystemId,
      condition: "short_descriptionSTARTSWITHPull ",
      mode: "link",
      linkField: "number",
      direction: "pull",
    });
    let job: PullView | undefined;
    await waitFor(
      async () => {
        job = await trpcQuery<PullView>(pair.alpha, "initialSync.get", { id });
        return job.status === "completed";
      },
      30_000,
      "the pulled job to complete here",
    );
    expect(job).toMatchObject({ direction: "pull", total: PULL_TOTAL, enqueued: PULL_TOTAL });
    expect(job?.report).toMatchObject({
      created: PULL_TOTAL - PULL_ON_ALPHA,
      linked: PULL_ON_ALPHA,
      unchanged: 0,
      conflicts: 0,
      errors: 0,
    });
    expect(job?.events.map((e) => [e.action, e.user])).toEqual([
      ["started", "admin"],
      ["completed", "system"],
    ]);
    // On beta it is a job like any other, audited as asked by alpha's admin.
    const onBeta = await trpcQuery<PullView>(pair.beta, "initialSync.get", { id });
    expect(onBeta).toMatchObject({ direction: "push", status: "completed", createdBy: "admin on alpha" });
    // alpha holds each of beta's records once: the 20 it had were linked, not doubled.
    const count = (sql: string, ...params: unknown[]) =>
      query<{ n: number }>(pair.alpha, sql, ...params)[0]?.n;
    expect(
      count("SELECT count(*) AS n FROM record WHERE json_extract(data, '$.short_description') LIKE 'Pull %'"),
    ).toBe(PULL_TOTAL);
    for (const number of pullNumbers.slice(0, PULL_ON_ALPHA))
      expect(count("SELECT count(*) AS n FROM record WHERE json_extract(data, '$.number') = ?", number)).toBe(
        1,
      );
  }, 60_000);
});

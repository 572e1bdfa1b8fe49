import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, hardwareGroup, type Pair, query, remoteState, startPair, trpc, waitFor } from "../support/pair";

// The demo scenario over real HTTP between two real instances, through the Table API only:
//   alpha: Hardware incident ──outbound──▶ beta: created + correlated
//   beta:  resolved (state 6)  ──outbound──▶ alpha: state, resolved_by, close_code, close_notes
describe("two instances in sync", () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair();
  });
  afterAll(async () => {
    await pair?.stop();
  });

  it("sends a Hardware incident to beta, brings its resolution back, and echoes nothing", async () => {
    // ARRANGE
    const group = await hardwareGroup(pair.alpha);
    const started = Date.now();

    // ACT 1: create on alpha
    const created = await api(pair.alpha, "POST", "/api/now/table/incident", {
      short_description: "Docking station is dead",
      assignment_group: group,
      impact: "2",
    });
    expect(created.status).toBe(201);
    const alphaId = created.body.result.sys_id as string;

    // ASSERT 1: exists on beta, correlated, within 2 s
    let betaId = "";
    await waitFor(
      async () => {
        const found = await api<{ result: Array<{ sys_id: string; impact: string }> }>(
          pair.beta,
          "GET",
          "/api/now/table/incident?sysparm_query=short_description=Docking station is dead",
        );
        betaId = found.body.result[0]?.sys_id ?? "";
        return betaId !== "";
      },
      2_000,
      "the incident on beta",
    );
    const createdOnBetaMs = Date.now() - started;
    const betaCorrelation = query<{ local_id: string; remote_id: string }>(
      pair.beta,
      "SELECT * FROM correlation WHERE record_sys_id = ?",
      betaId,
    );
    const alphaCorrelation = query<{ local_id: string; remote_id: string }>(
      pair.alpha,
      "SELECT * FROM correlation WHERE record_sys_id = ?",
      alphaId,
    );
    expect(betaCorrelation).toHaveLength(1);
    expect(alphaCorrelation).toHaveLength(1);
    expect(betaCorrelation[0]?.remote_id).toBe(alphaCorrelation[0]?.local_id);
    expect(alphaCorrelation[0]?.remote_id).toBe(betaCorrelation[0]?.local_id);

    // ACT 2: resolve on beta
    const resolvedAt = Date.now();
    const resolved = await api(pair.beta, "PATCH", `/api/now/table/incident/${betaId}`, {
      state: "6",
      close_code: "Solved (Permanently)",
      close_notes: "Replaced the power supply",
      resolved_by: "beth.anglin",
    });
    expect(resolved.status).toBe(200);

    // ASSERT 2: alpha's incident is resolved with the notes within 2 s
    await waitFor(
      async () => {
        const row = await api(
          pair.alpha,
          "GET",
          `/api/now/table/incident/${alphaId}?sysparm_display_value=true&sysparm_exclude_reference_link=true`,
        );
        return row.body.result.state === "Resolved";
      },
      2_000,
      "the resolution on alpha",
    );
    const resolvedOnAlphaMs = Date.now() - resolvedAt;
    const back = await api(
      pair.alpha,
      "GET",
      `/api/now/table/incident/${alphaId}?sysparm_display_value=true&sysparm_exclude_reference_link=true`,
    );
    expect(back.body.result).toMatchObject({
      state: "Resolved",
      close_code: "Solved (Permanently)",
      close_notes: "Replaced the power supply",
      resolved_by: "Beth Anglin",
    });

    // ASSERT 3: nothing echoed: each queue holds exactly the expected rows, all processed
    await new Promise((r) => setTimeout(r, 500)); // room for an echo to show up, if there were one
    const rows = (m: typeof pair.alpha, table: string) =>
      query<{ status: string }>(m, `SELECT status FROM ${table}`);
    expect(rows(pair.alpha, "outbound_queue")).toEqual([{ status: "processed" }]);
    expect(rows(pair.beta, "inbound_queue")).toEqual([{ status: "processed" }]);
    expect(rows(pair.beta, "outbound_queue")).toEqual([{ status: "processed" }]);
    expect(rows(pair.alpha, "inbound_queue")).toEqual([{ status: "processed" }]);
    // the create's idempotency key went with its processed mark: nothing is left to replay
    const keys = (m: typeof pair.alpha) =>
      Number(query<{ n: number }>(m, "SELECT count(*) AS n FROM idempotency_key")[0]?.n);
    expect([keys(pair.alpha), keys(pair.beta)]).toEqual([0, 0]);
    // on SQLite each queue keeps its captured payloads deflated (server/queue/payload-codec.ts)
    if (!pair.alpha.inst.databaseUrl) {
      const kinds = (m: typeof pair.alpha, table: string) =>
        query<{ t: string }>(m, `SELECT DISTINCT typeof(payload) AS t FROM ${table}`).map((r) => r.t);
      for (const [m, table] of [
        [pair.alpha, "outbound_queue"],
        [pair.beta, "inbound_queue"],
        [pair.beta, "outbound_queue"],
        [pair.alpha, "inbound_queue"],
      ] as const)
        expect(kinds(m, table)).toEqual(["blob"]);
    }
    console.log(`alpha → beta ${createdOnBetaMs} ms; beta → alpha ${resolvedOnAlphaMs} ms`);
  });

  it("converges when both sides change the same field at the same time", async () => {
    // ARRANGE: a synced incident
    const group = await hardwareGroup(pair.alpha);
    const created = await api(pair.alpha, "POST", "/api/now/table/incident", {
      short_description: "Race on state",
      assignment_group: group,
    });
    const alphaId = created.body.result.sys_id as string;
    let betaId = "";
    await waitFor(
      async () => {
        const found = await api<{ result: Array<{ sys_id: string }> }>(
          pair.beta,
          "GET",
          "/api/now/table/incident?sysparm_query=short_description=Race on state",
        );
        betaId = found.body.result[0]?.sys_id ?? "";
        return betaId !== "";
      },
      3_000,
      "the incident on beta",
    );
    await new Promise((r) => setTimeout(r, 300));

    // ACT: with both directions paused (re-saving the connection disables a remote until it is
    // validated again), each side changes state; then both resume, so the changes cross.
    for (const [m, peer] of [
      [pair.alpha, pair.beta],
      [pair.beta, pair.alpha],
    ] as const) {
      await trpc(m, "syncConfig.updateRemote", {
        id: remoteState(m).id,
        data: { baseUrl: `http://127.0.0.1:${peer.port}` },
      });
    }
    await api(pair.alpha, "PATCH", `/api/now/table/incident/${alphaId}`, { state: "2" });
    await api(pair.beta, "PATCH", `/api/now/table/incident/${betaId}`, { state: "3" });
    for (const m of [pair.alpha, pair.beta]) {
      expect(
        (await trpc<{ ok: boolean }>(m, "syncConfig.validateAndActivate", { id: remoteState(m).id })).ok,
      ).toBe(true);
    }

    // ASSERT: both end on the same value, and the losing write was counted as stale
    const stateOf = async (m: typeof pair.alpha, id: string) =>
      (await api(m, "GET", `/api/now/table/incident/${id}`)).body.result.state;
    await waitFor(
      async () => (await stateOf(pair.alpha, alphaId)) === (await stateOf(pair.beta, betaId)),
      5_000,
      "both sides to agree",
    );
    await new Promise((r) => setTimeout(r, 500));
    const final = await stateOf(pair.alpha, alphaId);
    expect(["2", "3"]).toContain(final);
    expect(await stateOf(pair.beta, betaId)).toBe(final);
    const stale = [pair.alpha, pair.beta].map(
      (m) =>
        query<{ n: number }>(m, "SELECT coalesce(sum(stale_fields_skipped), 0) AS n FROM correlation")[0]
          ?.n ?? 0,
    );
    expect((stale[0] ?? 0) + (stale[1] ?? 0)).toBe(1); // exactly one side kept its own, newer-by-tie-break value
  });

  it("does not send incidents of other groups, nor resolutions of beta's own incidents", async () => {
    const network = (
      await api<{ result: Array<{ sys_id: string }> }>(
        pair.alpha,
        "GET",
        "/api/now/table/sys_user_group?sysparm_query=name=Network",
      )
    ).body.result[0]?.sys_id;
    const before = query<{ n: number }>(pair.alpha, "SELECT count(*) AS n FROM outbound_queue")[0]?.n;
    await api(pair.alpha, "POST", "/api/now/table/incident", {
      short_description: "VPN is slow",
      assignment_group: network,
    });
    const own = await api(pair.beta, "POST", "/api/now/table/incident", {
      short_description: "Beta's own printer",
    });
    await api(pair.beta, "PATCH", `/api/now/table/incident/${own.body.result.sys_id}`, {
      state: "6",
      close_code: "Solved (Work Around)",
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(query<{ n: number }>(pair.alpha, "SELECT count(*) AS n FROM outbound_queue")[0]?.n).toBe(before);
    // Beta captured its own resolution, but its flow ends without sending: nothing reached alpha.
    const betaRows = query<{ status: string }>(pair.beta, "SELECT status FROM outbound_queue ORDER BY id");
    expect(betaRows.at(-1)?.status).toBe("processed");
    const alphaOwn = await api<{ result: unknown[] }>(
      pair.alpha,
      "GET",
      "/api/now/table/incident?sysparm_query=short_description=Beta's own printer",
    );
    expect(alphaOwn.body.result).toHaveLength(0);
  });
});

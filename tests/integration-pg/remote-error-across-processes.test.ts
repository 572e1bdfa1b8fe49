import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ClusterPair, startClusterPair } from "../support/cluster";
import { api, hardwareGroup, query, remoteState, trpc, waitFor } from "../support/pair";

// A remote set to error by one process stops sending in every process of the instance, and
// Validate and Activate in any of them resumes all (issue 13): each process keeps its own
// snapshot of the configuration, reloaded when another process changes it.
describe("a remote in error, across the processes of an instance", () => {
  let pair: ClusterPair;
  beforeAll(async () => {
    pair = await startClusterPair(2, 1);
  }, 240_000);
  afterAll(async () => {
    await pair?.stop();
  });

  it("stops sending in both processes once one exhausts its retries, and resumes in both after Validate and Activate in the other", async () => {
    // ARRANGE: a short retry budget (set through process 0), beta down
    const { alpha, beta } = pair;
    const remote = remoteState(alpha.member);
    await trpc(alpha.process(0), "syncConfig.updateRemote", {
      id: remote.id,
      data: { retryTimes: 1, retryIntervalMs: 200, retryBackoff: "fixed" },
    });
    await beta.processes[0]?.stop();
    const group = await hardwareGroup(alpha.member);

    // ACT: incidents through process 0 until the remote turns to error
    for (let i = 0; i < 5; i++)
      await api(alpha.process(0), "POST", "/api/now/table/incident", {
        short_description: `Error across ${i}`,
        assignment_group: group,
      });
    await waitFor(
      () => remoteState(alpha.member).outbound === "error",
      20_000,
      "the remote to turn to error",
    );

    // ACT: beta back; more incidents through process 1. Neither process may send them: each one's
    // worker claims by its own snapshot of the configuration, so a stale "active" would send.
    await beta.restart(0);
    for (let i = 5; i < 10; i++)
      await api(alpha.process(1), "POST", "/api/now/table/incident", {
        short_description: `Error across ${i}`,
        assignment_group: group,
      });
    await new Promise((r) => setTimeout(r, 3_000));
    const arrived = () =>
      query<{ n: number }>(
        beta.member,
        "SELECT count(*) AS n FROM record WHERE table_name = 'incident' AND json_extract(data, '$.short_description') LIKE 'Error across %'",
      )[0]?.n;
    expect(arrived()).toBe(0);
    expect(
      query<{ n: number }>(
        alpha.member,
        "SELECT count(*) AS n FROM outbound_queue WHERE status = 'processed'",
      )[0]?.n,
    ).toBe(0);

    // ACT: Validate and Activate through process 1
    const outcome = await trpc<{ ok: boolean }>(alpha.process(1), "syncConfig.validateAndActivate", {
      id: remote.id,
    });
    expect(outcome.ok).toBe(true);

    // ASSERT: every incident arrives once, sent by either process
    await waitFor(() => arrived() === 10, 30_000, "all 10 incidents on beta");
    expect(remoteState(alpha.member).outbound).toBe("active");
    await waitFor(
      () =>
        query<{ n: number }>(
          alpha.member,
          "SELECT count(*) AS n FROM outbound_queue WHERE status != 'processed'",
        )[0]?.n === 0,
      30_000,
      "alpha's outbound queue to drain",
    );
  }, 180_000);
});

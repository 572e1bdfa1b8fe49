import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trpcQuery } from "../support/broken-inbound";
import {
  api,
  hardwareGroup,
  type Pair,
  query,
  remoteState,
  restart,
  startPair,
  trpc,
  trpcError,
  waitFor,
} from "../support/pair";

// Initial sync (issue 17) between two real instances: alpha holds incidents the live capture
// never sent (no assignment group), beta already holds some of them under the same number.
//   alpha ── job: link by number ──▶ beta links those, creates the rest; alpha SIGKILLed mid-run.

const N = 400;
const ON_BETA = 80;

interface JobView {
  id: string;
  status: string;
  total: number;
  enqueued: number;
  done: number;
  lastError: string | null;
  report: {
    created: number;
    linked: number;
    unchanged: number;
    conflicts: number;
    errors: number;
    items: Record<string, Array<{ sourceSysId: string; label: string; localSysId: string | null }>>;
  } | null;
  events: Array<{ action: string; user: string }>;
}

describe("initial sync", () => {
  let pair: Pair;
  let definitionId: string;
  let remoteSystemId: string;
  beforeAll(async () => {
    pair = await startPair();
    definitionId = query<{ id: string }>(pair.alpha, "SELECT id FROM sync_definition LIMIT 1")[0]?.id ?? "";
    remoteSystemId = remoteState(pair.alpha).id;
  });
  afterAll(async () => {
    await pair?.stop();
  });

  const bulkOnBeta = () =>
    query<{ n: number }>(
      pair.beta,
      "SELECT count(*) AS n FROM record WHERE table_name = 'incident' AND json_extract(data, '$.short_description') LIKE 'Bulk %'",
    )[0]?.n ?? 0;

  it("links the records beta holds by number, creates the rest, exactly, across a SIGKILL of alpha", async () => {
    // ARRANGE: N incidents on alpha (no group: the live capture does not send them); the first
    // ON_BETA also on beta under the same number, with other text.
    const numbers: string[] = [];
    for (let i = 0; i < N; i++) {
      const res = await api(pair.alpha, "POST", "/api/now/table/incident", {
        short_description: `Bulk ${i}`,
      });
      numbers.push(res.body.result.number ?? "");
    }
    for (let i = 0; i < ON_BETA; i++) {
      const res = await api(pair.beta, "POST", "/api/now/table/incident", {
        short_description: `Bulk legacy ${i}`,
        number: numbers[i],
      });
      expect(res.body.result.number).toBe(numbers[i]);
    }
    const preview = await trpcQuery<{ count: number; table: string }>(pair.alpha, "initialSync.preview", {
      definitionId,
      remoteSystemId,
      condition: "short_descriptionSTARTSWITHBulk",
    });
    expect(preview).toMatchObject({ count: N, table: "incident" });

    // ACT: start, kill alpha once part of the job is enqueued, restart it
    const { id } = await trpc<{ id: string }>(pair.alpha, "initialSync.start", {
      definitionId,
      remoteSystemId,
      condition: "short_descriptionSTARTSWITHBulk",
      mode: "link",
      linkField: "number",
    });
    await waitFor(
      () =>
        (query<{ enqueued: number }>(pair.alpha, "SELECT enqueued FROM initial_sync_job WHERE id = ?", id)[0]
          ?.enqueued ?? 0) >= 100,
      20_000,
      "the job to enqueue 100 records",
    );
    await pair.alpha.inst.kill();
    await restart(pair.alpha, "alpha");
    // A live change made after the restart, while the job runs, reaches beta too.
    const group = await hardwareGroup(pair.alpha);
    await api(pair.alpha, "POST", "/api/now/table/incident", {
      short_description: "Live during job",
      assignment_group: group,
    });

    // ASSERT: the job completes with exact totals; beta holds each record once
    let job: JobView | undefined;
    await waitFor(
      async () => {
        job = await trpcQuery<JobView>(pair.alpha, "initialSync.get", { id });
        return job.status === "completed";
      },
      60_000,
      "the job to complete",
    );
    expect(job?.total).toBe(N);
    expect(job?.report).toMatchObject({
      created: N - ON_BETA,
      linked: ON_BETA,
      unchanged: 0,
      conflicts: 0,
      errors: 0,
    });
    // The report lists each linked record (in the order they were classified, which the
    // concurrent inbound workers decide): exactly the numbers beta held.
    expect((job?.report?.items.linked ?? []).map((item) => item.label).sort()).toEqual(
      numbers.slice(0, ON_BETA).sort(),
    );
    expect(bulkOnBeta()).toBe(N);
    const betaCorrelations = query<{ n: number }>(
      pair.beta,
      `SELECT count(*) AS n FROM correlation c JOIN record r ON r.sys_id = c.record_sys_id
       WHERE json_extract(r.data, '$.short_description') LIKE 'Bulk %'`,
    )[0]?.n;
    const alphaCorrelations = query<{ n: number }>(
      pair.alpha,
      `SELECT count(*) AS n FROM correlation c JOIN record r ON r.sys_id = c.record_sys_id
       WHERE json_extract(r.data, '$.short_description') LIKE 'Bulk %'`,
    )[0]?.n;
    expect(betaCorrelations).toBe(N);
    expect(alphaCorrelations).toBe(N);
    // The linked ones kept beta's record (and its number): no second record with that number.
    const sameNumber = query<{ n: number }>(
      pair.beta,
      "SELECT count(*) AS n FROM record WHERE table_name = 'incident' AND json_extract(data, '$.number') = ?",
      numbers[0],
    )[0]?.n;
    expect(sameNumber).toBe(1);
    await waitFor(
      () =>
        (query<{ n: number }>(
          pair.beta,
          "SELECT count(*) AS n FROM record WHERE json_extract(data, '$.short_description') = 'Live during job'",
        )[0]?.n ?? 0) === 1,
      20_000,
      "the live change on beta",
    );
    expect(job?.events.map((e) => e.action)).toEqual(["started", "completed"]);
    expect(job?.events[0]?.user).toBe("admin");
  }, 120_000);

  it("completes when the outbound flow sends none of the records (beta's flow sends only alpha's)", async () => {
    // beta's outbound flow ends "not correlated" for incidents that did not come from alpha: the
    // rows finish on beta without a message. The job must still see that nothing is left.
    for (let i = 0; i < 30; i++)
      await api(pair.beta, "POST", "/api/now/table/incident", { short_description: `Beta only ${i}` });
    const betaDefinition = query<{ id: string }>(pair.beta, "SELECT id FROM sync_definition LIMIT 1")[0]?.id;
    const { id } = await trpc<{ id: string }>(pair.beta, "initialSync.start", {
      definitionId: betaDefinition,
      remoteSystemId: remoteState(pair.beta).id,
      condition: "short_descriptionSTARTSWITHBeta only",
      mode: "create",
    });
    let job: JobView | undefined;
    await waitFor(
      async () => {
        job = await trpcQuery<JobView>(pair.beta, "initialSync.get", { id });
        return job.status === "completed";
      },
      30_000,
      "the job to complete",
    );
    expect(job?.total).toBe(30);
    expect(job?.report).toMatchObject({ created: 0, linked: 0, unchanged: 0, conflicts: 0, errors: 0 });
    const onAlpha = query<{ n: number }>(
      pair.alpha,
      "SELECT count(*) AS n FROM record WHERE json_extract(data, '$.short_description') LIKE 'Beta only %'",
    )[0]?.n;
    expect(onAlpha).toBe(0);
  }, 60_000);

  it("refuses bad input with a clear error and starts nothing", async () => {
    const before = query<{ n: number }>(pair.alpha, "SELECT count(*) AS n FROM initial_sync_job")[0]?.n;
    const base = { definitionId, remoteSystemId, mode: "link", linkField: "number" };
    expect(await trpcError(pair.alpha, "initialSync.start", { ...base, condition: "nosuchfield=1" })).toMatch(
      /Invalid condition/,
    );
    expect(
      await trpcError(pair.alpha, "initialSync.start", { ...base, condition: "", linkField: "nummber" }),
    ).toMatch(/Unknown link field.*nummber/);
    // The remote in error: beta is down and alpha used up its retries on a live change.
    await trpc(pair.alpha, "syncConfig.updateRemote", { id: remoteSystemId, data: { retryTimes: 0 } });
    await pair.beta.inst.stop();
    const group = await hardwareGroup(pair.alpha);
    await api(pair.alpha, "POST", "/api/now/table/incident", {
      short_description: "While beta is down",
      assignment_group: group,
    });
    await waitFor(
      () => remoteState(pair.alpha).outbound === "error",
      20_000,
      "alpha's remote to turn to error",
    );
    expect(await trpcError(pair.alpha, "initialSync.start", { ...base, condition: "" })).toMatch(
      /not active.*Validate and Activate/,
    );
    const after = query<{ n: number }>(pair.alpha, "SELECT count(*) AS n FROM initial_sync_job")[0]?.n;
    expect(after).toBe(before);
    await restart(pair.beta, "beta");
  }, 60_000);
});

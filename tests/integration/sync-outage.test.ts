import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  api,
  hardwareGroup,
  type Pair,
  query,
  remoteState,
  restart,
  startPair,
  trpc,
  waitFor,
} from "../support/pair";
import { type ReceivedMail, startSmtp } from "../support/smtp";

// Beta goes away while alpha keeps working:
//   alpha: 50 incidents (+ an update each) ──✗ beta down──▶ retries, then remote `error`,
//          error subflow emails the sync admins (a real SMTP server here)
//   beta back + Validate and Activate ──▶ every change arrives once, each record's in order
describe("a remote that is down", () => {
  let pair: Pair;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  beforeAll(async () => {
    smtp = await startSmtp();
    pair = await startPair({ SMTP_URL: smtp.url });
  });
  afterAll(async () => {
    await pair?.stop();
    await smtp?.stop();
  });

  it("retries, turns the remote to error with an email, and delivers everything once after activation", async () => {
    // ARRANGE: a short retry budget, beta down
    const remote = remoteState(pair.alpha);
    await trpc(pair.alpha, "syncConfig.updateRemote", {
      id: remote.id,
      data: { retryTimes: 2, retryIntervalMs: 200, retryBackoff: "fixed" },
    });
    await pair.beta.inst.stop();
    const group = await hardwareGroup(pair.alpha);

    // ACT: 50 incidents, each updated once after creation (two changes per lane)
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) {
      const res = await api(pair.alpha, "POST", "/api/now/table/incident", {
        short_description: `Outage ${i}`,
        assignment_group: group,
      });
      ids.push(res.body.result.sys_id as string);
    }
    for (const [i, id] of ids.entries()) {
      await api(pair.alpha, "PATCH", `/api/now/table/incident/${id}`, {
        short_description: `Outage ${i} (updated)`,
      });
    }

    // ASSERT: rows wait and retry; after the budget the remote is in error and the email went out
    await waitFor(
      () => remoteState(pair.alpha).outbound === "error",
      15_000,
      "alpha's remote to turn to error",
    ).catch((e) => {
      console.log(
        query(
          pair.alpha,
          "SELECT id, status, attempts, next_attempt_at, last_error, retry_history FROM outbound_queue LIMIT 3",
        ),
        remoteState(pair.alpha),
        pair.alpha.inst.output().slice(-3000),
      );
      throw e;
    });
    const attempts = query<{ attempts: number; status: string }>(
      pair.alpha,
      "SELECT attempts, status FROM outbound_queue",
    );
    expect(attempts).toHaveLength(100);
    expect(Math.max(...attempts.map((a) => a.attempts))).toBe(3); // first try + 2 retries
    expect(attempts.every((a) => a.status !== "processed")).toBe(true);
    await waitFor(() => smtp.mails.length > 0, 10_000, "the error subflow's email");
    const mail = smtp.mails[0] as ReceivedMail;
    expect(mail.to).toContain("admin@alpha.localhost");
    expect(mail.subject).toMatch(/beta is in error/);
    expect(remoteState(pair.alpha).message).toMatch(/Retries exhausted/);

    // ACT: beta back, then Validate and Activate on alpha
    await restart(pair.beta, "beta");
    const outcome = await trpc<{ ok: boolean; requeued: number }>(
      pair.alpha,
      "syncConfig.validateAndActivate",
      { id: remote.id },
    );
    expect(outcome.ok).toBe(true);

    // ASSERT: all 50 arrive, once each, with their last change applied (changes in order)
    await waitFor(
      () =>
        query<{ n: number }>(
          pair.alpha,
          "SELECT count(*) AS n FROM outbound_queue WHERE status = 'processed'",
        )[0]?.n === 100,
      30_000,
      "all 100 outbound rows to be processed",
    );
    await waitFor(
      () =>
        query<{ n: number }>(
          pair.beta,
          "SELECT count(*) AS n FROM inbound_queue WHERE status = 'processed'",
        )[0]?.n === 100,
      30_000,
      "beta to process all 100 messages",
    );
    const onBeta = query<{ d: string }>(
      pair.beta,
      "SELECT json_extract(data, '$.short_description') AS d FROM record WHERE table_name = 'incident' AND json_extract(data, '$.short_description') LIKE 'Outage %'",
    );
    expect(onBeta).toHaveLength(50);
    expect(new Set(onBeta.map((r) => r.d))).toEqual(new Set(ids.map((_, i) => `Outage ${i} (updated)`)));
    const inboundOrder = query<{ lane_key: string; seq: string }>(
      pair.beta,
      "SELECT lane_key, string_agg(operation, ',' ORDER BY sequence) AS seq FROM inbound_queue GROUP BY lane_key",
    );
    expect(inboundOrder).toHaveLength(50);
    expect(inboundOrder.every((l) => l.seq === "create,update")).toBe(true);
    expect(smtp.mails).toHaveLength(1); // the error subflow ran once
  });
});

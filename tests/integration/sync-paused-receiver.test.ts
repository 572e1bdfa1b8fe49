import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { admin, api, hardwareGroup, type Pair, query, startPair, waitFor } from "../support/pair";

// The receiver is frozen (SIGSTOP) while it runs inbound flows (issue 11, defect 2):
//   alpha: a burst of 100 incidents, each then given an attachment ──▶ beta (200 messages), whose
//          flow limit is 2 s (TANDEM_FLOW_TIMEOUT_MS); an attachment message's flow waits on a
//          real HTTP call back to alpha (Request Attachments), so flows are in flight across turns
//   beta:  SIGSTOP as soon as it has inbound rows in `processing`, SIGCONT 5 s later
// Expected: the frozen time is not charged to the flows, and anything that still fails
// transiently is retried: every row ends `processed` once, none in `error`.
const RECORDS = 100;
const BURST = 2 * RECORDS; // a create and an attachment update per record
const LIMIT_MS = 2000;
const FROZEN_MS = 5000;

describe("a receiver paused with SIGSTOP", () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair({}, { beta: { TANDEM_FLOW_TIMEOUT_MS: String(LIMIT_MS) } });
  });
  afterAll(async () => {
    if (pair?.beta.inst.process.pid) {
      try {
        process.kill(pair.beta.inst.process.pid, "SIGCONT");
      } catch {
        // already gone
      }
    }
    await pair?.stop();
  });

  it("finishes every accepted inbound row once after SIGCONT, none in error", async () => {
    // ARRANGE
    const group = await hardwareGroup(pair.alpha);
    const pid = pair.beta.inst.process.pid as number;
    let frozenWith = -1;
    const processing = () =>
      query<{ n: number }>(
        pair.beta,
        "SELECT count(*) AS n FROM inbound_queue WHERE status = 'processing'",
      )[0]?.n ?? 0;

    // ACT: the burst, 10 at a time; beta is frozen the first time it is seen running flows
    const one = async (i: number) => {
      const created = await api(pair.alpha, "POST", "/api/now/table/incident", {
        short_description: `Paused ${i}`,
        assignment_group: group,
      });
      const res = await fetch(
        `${pair.alpha.inst.url}/api/now/attachment/file?table_name=incident&table_sys_id=${created.body.result.sys_id}&file_name=note-${i}.txt`,
        {
          method: "POST",
          headers: { authorization: admin, "content-type": "text/plain" },
          body: `note ${i}`,
        },
      );
      expect(res.status).toBe(201);
    };
    const burst = (async () => {
      for (let i = 0; i < RECORDS; i += 10)
        await Promise.all(Array.from({ length: 10 }, (_, k) => one(i + k)));
    })();
    await waitFor(
      () => {
        const n = processing();
        if (n === 0) return false;
        process.kill(pid, "SIGSTOP");
        frozenWith = n;
        return true;
      },
      60_000,
      "beta to run inbound flows",
    );
    await new Promise((r) => setTimeout(r, FROZEN_MS));
    process.kill(pid, "SIGCONT");
    await burst;

    // ASSERT
    console.log(`beta was frozen for ${FROZEN_MS} ms with ${frozenWith} inbound rows processing`);
    const settled = () =>
      query<{ n: number }>(
        pair.beta,
        "SELECT count(*) AS n FROM inbound_queue WHERE status IN ('processed', 'error', 'skipped')",
      )[0]?.n === BURST;
    await waitFor(settled, 90_000, `beta to finish ${BURST} inbound rows`);
    const errors = query<{ sequence: number; last_error: string }>(
      pair.beta,
      "SELECT sequence, last_error FROM inbound_queue WHERE status = 'error'",
    );
    expect(errors).toEqual([]);
    const rows = query<{ n: number; ids: number }>(
      pair.beta,
      "SELECT count(*) AS n, count(DISTINCT message_id) AS ids FROM inbound_queue WHERE status = 'processed'",
    )[0];
    expect(rows).toEqual({ n: BURST, ids: BURST });
    const onBeta = query<{ n: number }>(
      pair.beta,
      `SELECT count(*) AS n FROM record WHERE table_name = 'incident'
       AND json_extract(data, '$.short_description') LIKE 'Paused %'`,
    )[0];
    expect(onBeta?.n).toBe(RECORDS);
    await waitFor(
      () =>
        query<{ n: number }>(
          pair.beta,
          "SELECT count(*) AS n FROM attachment WHERE file_name LIKE 'note-%'",
        )[0]?.n === RECORDS,
      60_000,
      "every attachment on beta",
    );
    const retried = query<{ n: number }>(
      pair.beta,
      "SELECT count(*) AS n FROM inbound_queue WHERE retry_history != '[]'",
    )[0];
    const why = query<{ e: string; n: number }>(
      pair.beta,
      `SELECT json_extract(h.value, '$.error') AS e, count(*) AS n FROM inbound_queue q, json_each(q.retry_history) h
       WHERE json_extract(h.value, '$.outcome') = 'retry' GROUP BY 1`,
    );
    console.log(`inbound rows that needed a retry: ${retried?.n}`, why);
  }, 180_000);
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { admin, hardwareGroup, type Pair, query, restart, startPair, waitFor } from "../support/pair";

// Alpha is killed (SIGKILL) in the middle of a 1,000-incident burst and restarted: every
// incident alpha committed arrives on beta exactly once (transactional outbox + dedup by id).
describe("a crash mid-burst", () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair();
  });
  afterAll(async () => {
    await pair?.stop();
  });

  it("delivers every committed incident exactly once after a SIGKILL and restart", async () => {
    // ARRANGE
    const group = await hardwareGroup(pair.alpha);
    const url = pair.alpha.inst.url;
    let next = 0;
    let created = 0;
    let killed = false;

    // ACT: 16 writers create incidents; alpha dies after ~400 of them
    const writer = async () => {
      while (next < 1000 && !killed) {
        const i = next++;
        try {
          const res = await fetch(`${url}/api/now/table/incident`, {
            method: "POST",
            headers: { authorization: admin, "content-type": "application/json" },
            body: JSON.stringify({ short_description: `Burst ${i}`, assignment_group: group }),
          });
          if (res.status === 201) created += 1;
        } catch {
          // the server died under this request: it may or may not have committed it
        }
        if (created >= 400 && !killed) {
          killed = true;
          await pair.alpha.inst.kill();
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, writer));
    const pendingAtKill = query<{ n: number }>(
      pair.alpha,
      "SELECT count(*) AS n FROM outbound_queue WHERE status != 'processed'",
    )[0]?.n;
    await restart(pair.alpha, "alpha");

    // ASSERT: beta holds exactly the incidents alpha committed, once each
    const committed = () =>
      query<{ d: string }>(
        pair.alpha,
        "SELECT json_extract(data, '$.short_description') AS d FROM record WHERE table_name = 'incident' AND json_extract(data, '$.short_description') LIKE 'Burst %'",
      ).map((r) => r.d);
    const onAlpha = committed();
    expect(onAlpha.length).toBeGreaterThanOrEqual(400);
    await waitFor(
      () =>
        query<{ n: number }>(
          pair.beta,
          "SELECT count(*) AS n FROM record WHERE table_name = 'incident' AND json_extract(data, '$.short_description') LIKE 'Burst %'",
        )[0]?.n === onAlpha.length,
      60_000,
      `beta to hold ${onAlpha.length} incidents`,
    );
    await waitFor(
      () =>
        query<{ n: number }>(
          pair.alpha,
          "SELECT count(*) AS n FROM outbound_queue WHERE status != 'processed'",
        )[0]?.n === 0,
      30_000,
      "alpha's outbound queue to drain",
    );
    const onBeta = query<{ d: string; n: number }>(
      pair.beta,
      "SELECT json_extract(data, '$.short_description') AS d, count(*) AS n FROM record WHERE table_name = 'incident' AND json_extract(data, '$.short_description') LIKE 'Burst %' GROUP BY d",
    );
    expect(onBeta.every((r) => r.n === 1)).toBe(true);
    expect(new Set(onBeta.map((r) => r.d))).toEqual(new Set(onAlpha));
    // Each alpha incident has exactly one correlation with beta, mirrored on beta.
    const correlations = query<{ n: number }>(pair.alpha, "SELECT count(*) AS n FROM correlation")[0]?.n;
    expect(correlations).toBe(onAlpha.length);
    console.log(
      `alpha committed ${onAlpha.length} incidents (${pendingAtKill} rows unsent at the kill); all arrived once`,
    );
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cluster, type ClusterPair, startClusterPair } from "../support/cluster";
import { admin, hardwareGroup, query, waitFor } from "../support/pair";

// Several processes per instance on PostgreSQL (issue 13): alpha runs 3 processes, beta 2, each
// instance behind a round-robin balancer (as an operator would run them), one database per
// instance. 2,000 incidents are written through alpha's processes in turn while 50 of them are
// each updated 20 times; one process of each instance is SIGKILLed mid-run and restarted.

const INCIDENTS = 2000;
const UPDATED = 50;
const UPDATES_EACH = 20;

describe("an instance served by several processes on PostgreSQL", () => {
  let pair: ClusterPair;
  let alpha: Cluster;
  let beta: Cluster;

  beforeAll(async () => {
    pair = await startClusterPair(3, 2);
    ({ alpha, beta } = pair);
  }, 240_000);

  afterAll(async () => {
    await pair?.stop();
  });

  it("delivers every acknowledged write exactly once, in lane order, across kills of a process on each side", async () => {
    // ARRANGE
    const group = await hardwareGroup(alpha.member);
    const created: Array<{ sysId: string; marker: string }> = [];
    const finalValue = new Map<string, string>(); // sys_id → last acknowledged short_description
    let turn = 0;
    /** Each request to the next alpha process in turn; a refused one (killed) goes to the next. */
    const send = async (method: string, path: string, body: unknown): Promise<Response | null> => {
      for (let tries = 0; tries < alpha.ports.length * 3; tries++) {
        const port = alpha.ports[turn++ % alpha.ports.length];
        try {
          return await fetch(`http://127.0.0.1:${port}${path}`, {
            method,
            headers: { authorization: admin, "content-type": "application/json" },
            body: JSON.stringify(body),
          });
        } catch (error) {
          const code = (error as { cause?: { code?: string } }).cause?.code;
          if (code !== "ECONNREFUSED") return null; // reached a process that died: unknown outcome
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      return null;
    };

    // ACT: 8 writers create the incidents; 4 more update the first 50, 20 times each
    let next = 0;
    const creator = async () => {
      while (next < INCIDENTS) {
        const i = next++;
        const marker = `Multi ${i}`;
        const res = await send("POST", "/api/now/table/incident", {
          short_description: marker,
          assignment_group: group,
        });
        if (res?.status === 201) {
          const { result } = (await res.json()) as { result: { sys_id: string } };
          created.push({ sysId: result.sys_id, marker });
        }
      }
    };
    const updater = async (slot: number) => {
      for (let round = 0; round < UPDATES_EACH; round++) {
        for (let k = slot; k < UPDATED; k += 4) {
          while (created.length <= k) await new Promise((r) => setTimeout(r, 20));
          const target = created[k] as { sysId: string; marker: string };
          const value = `${target.marker} update ${round}`;
          const res = await send("PATCH", `/api/now/table/incident/${target.sysId}`, {
            short_description: value,
          });
          if (res?.status === 200) finalValue.set(target.sysId, value);
        }
      }
    };
    const kills = (async () => {
      while (created.length < INCIDENTS / 3) await new Promise((r) => setTimeout(r, 20));
      await Promise.all([alpha.kill(1), beta.kill(1)]);
      await new Promise((r) => setTimeout(r, 1500));
      await Promise.all([alpha.restart(1), beta.restart(1)]);
    })();
    await Promise.all([...Array.from({ length: 8 }, creator), ...[0, 1, 2, 3].map(updater), kills]);

    // ASSERT: both queues drain, nothing stuck or failed
    const unfinished = (c: Cluster, table: string) =>
      query<{ n: number }>(
        c.member,
        `SELECT count(*) AS n FROM ${table} WHERE status NOT IN ('processed', 'skipped')`,
      )[0]?.n;
    await waitFor(
      () => unfinished(alpha, "outbound_queue") === 0 && unfinished(beta, "inbound_queue") === 0,
      180_000,
      "alpha's outbound and beta's inbound queues to drain",
    );
    expect(created.length).toBeGreaterThanOrEqual(INCIDENTS - 50); // writes that died with a process are unknown
    for (const c of [alpha, beta]) {
      expect(
        query(c.member, "SELECT id FROM outbound_queue WHERE status IN ('processing', 'error')"),
      ).toEqual([]);
      expect(
        query(c.member, "SELECT sequence FROM inbound_queue WHERE status IN ('processing', 'error')"),
      ).toEqual([]);
    }

    // every acknowledged incident exactly once on beta (and those alpha committed as its process died)
    const onAlpha = new Set(
      query<{ sys_id: string }>(
        alpha.member,
        "SELECT sys_id FROM record WHERE table_name = 'incident' AND json_extract(data, '$.short_description') LIKE 'Multi %'",
      ).map((r) => r.sys_id),
    );
    expect(created.filter((c) => !onAlpha.has(c.sysId))).toEqual([]);
    const copies = query<{ d: string; n: number }>(
      beta.member,
      "SELECT json_extract(data, '$.short_description') AS d, count(*) AS n FROM record WHERE table_name = 'incident' AND json_extract(data, '$.short_description') LIKE 'Multi %' GROUP BY d",
    );
    expect(copies.filter((m) => m.n !== 1)).toEqual([]);
    expect(copies.length).toBe(onAlpha.size);

    // every updated incident ends with the same value on both sides, the last acknowledged one
    const valueIn = (c: Cluster, sysId: string) =>
      query<{ v: string }>(
        c.member,
        "SELECT json_extract(data, '$.short_description') AS v FROM record WHERE sys_id = ?",
        sysId,
      )[0]?.v;
    for (const [sysId, value] of finalValue) {
      const local = query<{ id: string }>(
        alpha.member,
        "SELECT local_id AS id FROM correlation WHERE record_sys_id = ?",
        sysId,
      )[0]?.id;
      const copy = query<{ id: string }>(
        beta.member,
        "SELECT record_sys_id AS id FROM correlation WHERE remote_id = ?",
        local,
      )[0]?.id;
      expect(valueIn(alpha, sysId)).toBe(value);
      expect(copy && valueIn(beta, copy)).toBe(value);
    }

    // each lane processed in sequence order, on both queues
    const outOfOrder = (c: Cluster, table: string) =>
      query<{ lane_key: string }>(
        c.member,
        `SELECT lane_key FROM (SELECT lane_key, finished_at, lag(finished_at) OVER (PARTITION BY lane_key ORDER BY lane_seq) AS before
           FROM ${table} WHERE status = 'processed') AS ordered WHERE before > finished_at`,
      );
    expect(outOfOrder(alpha, "outbound_queue")).toEqual([]);
    expect(outOfOrder(beta, "inbound_queue")).toEqual([]);
    // the work spread over the processes (each claimed some rows)
    const workers = query<{ n: number }>(
      alpha.member,
      "SELECT count(DISTINCT claimed_by) AS n FROM outbound_queue WHERE claimed_by IS NOT NULL",
    )[0]?.n;
    console.log(
      `multi-process: ${created.length} incidents acknowledged, ${finalValue.size} updated; alpha rows claimed by ${workers} processes; balancer alpha ${JSON.stringify([...alpha.balancer.counts()])}`,
    );
  }, 600_000);
});

import { Pool } from "undici";
import { admin, hardwareGroup, type PairMember } from "../tests/support/pair";

/**
 * Table API creates of Hardware incidents on alpha over one undici pool (the shape every sync
 * bench writes); `create` resolves with the sys_id at the 201. `url`: where the creates go
 * (alpha's own by default; the balancer of alpha's processes on a cluster).
 */
export async function incidentWriter(
  pair: { alpha: PairMember },
  connections: number,
  url = pair.alpha.inst.url,
) {
  const group = await hardwareGroup(pair.alpha);
  const pool = new Pool(url, { connections });
  const create = async (description: string): Promise<string> => {
    const res = await pool.request({
      path: "/api/now/table/incident?sysparm_fields=sys_id",
      method: "POST",
      headers: { authorization: admin, "content-type": "application/json" },
      body: JSON.stringify({
        short_description: description,
        assignment_group: group,
        description: "x".repeat(600),
      }),
    });
    const body = (await res.body.json()) as { result: { sys_id: string } };
    if (res.statusCode !== 201) throw new Error(`Table API answered ${res.statusCode}`);
    return body.result.sys_id;
  };
  return { create, close: () => pool.close() };
}

/** Runs `write(0..total-1)` with `count` writers, each starting the next as the last one ends. */
export async function writers(
  count: number,
  total: number,
  write: (i: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: count }, async () => {
      while (next < total) await write(next++);
    }),
  );
}

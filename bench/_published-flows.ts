// Per-call cost of the runner's published-flow look-up (FlowStore.published, issue 13) on SQLite:
// before the seam a synchronous hit on two in-memory maps; now the same maps behind an async
// method the runner awaits; and a miss (after a publish here, or forgetCaches), which reads the
// flow and the version and parses the DAG, as before. Not part of `npm run bench` (leading
// underscore): `npx tsx bench/_published-flows.ts`.
import { getTemplate } from "../flows";
import { openDatabase } from "../server/db/client";
import { GroupCommit } from "../server/db/group-commit";
import { FlowStore, type PublishedFlow } from "../server/flow-store/flow-store";
import { SqliteStorage } from "../server/storage/sqlite";

async function main() {
  const db = openDatabase({ file: ":memory:" });
  const storage = new SqliteStorage(db.$client, { group: new GroupCommit(db.$client) });
  const flows = new FlowStore(storage);
  const template = getTemplate("outbound-basic");
  if (!template) throw new Error("no outbound-basic template");
  const { id: _omit, ...graph } = structuredClone(template.graph);
  const flow = await flows.create(graph, "bench");
  await flows.publish(flow.id, "bench");

  // before: the hit path as it was (synchronous)
  const latest = new Map([[flow.id, 1]]);
  const cache = new Map<string, PublishedFlow>([[`${flow.id}@1`, await flows.published(flow.id)]]);
  const before = (id: string) => cache.get(`${id}@${latest.get(id)}`);

  const N = 1_000_000;
  const M = 20_000;
  const ns = (start: bigint, n: number) => (Number(process.hrtime.bigint() - start) / n).toFixed(0);
  for (let round = 0; round < 3; round++) {
    let t = process.hrtime.bigint();
    for (let i = 0; i < N; i++) before(flow.id);
    const sync = ns(t, N);
    t = process.hrtime.bigint();
    for (let i = 0; i < N; i++) await before(flow.id);
    const syncAwaited = ns(t, N);
    t = process.hrtime.bigint();
    for (let i = 0; i < N; i++) await flows.published(flow.id);
    const hit = ns(t, N);
    t = process.hrtime.bigint();
    for (let i = 0; i < M; i++) {
      flows.forgetCaches();
      await flows.published(flow.id);
    }
    const miss = ns(t, M);
    console.log(
      `before ${sync} ns (awaited ${syncAwaited} ns) | now, cached ${hit} ns | now, a miss ${miss} ns`,
    );
  }
  await storage.close();
}

void main();

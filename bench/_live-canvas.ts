/**
 * Live canvas part of the designer bench (issue 15): a published flow with 100,000 executions in
 * the last 24 hours, written straight into a stopped instance's SQLite file through the real
 * ExecutionWriter (so the aggregate is built exactly as in production, in batches of 500), then
 * the instance is started again on that file;
 * then prints the time from navigation until the overlay shows all 100,000 runs, and the time
 * of the figures query alone. Figures only, never asserted.
 */
import type { Browser } from "playwright-core";
import type { StepRecord } from "../flows";
import { outboundBasic } from "../flows/templates/outbound-basic/flow";
import { openDatabase } from "../server/db/client";
import { type ExecutionRecord, ExecutionWriter } from "../server/runner/execution-writer";
import { SqliteStorage } from "../server/storage/sqlite";
import { basic, type RunningInstance, startInstance } from "../tests/support/instances";

const RUNS = 100_000;
const auth = { authorization: basic("admin", "admin"), "content-type": "application/json" };

async function call<T>(inst: RunningInstance, path: string, input: unknown): Promise<T> {
  const res = await fetch(`${inst.url}/api/trpc/${path}`, {
    method: "POST",
    headers: auth,
    body: JSON.stringify(input),
  });
  return ((await res.json()) as { result: { data: T } }).result.data;
}

/** start → lookup → send → is_new ─true→ create → end / ─false→ end; 2 % fail at send. */
function execution(i: number, flowId: string, now: number): ExecutionRecord {
  const at = now - Math.floor((i / RUNS) * 23 * 3_600_000) - 1000;
  const fail = i % 50 === 0;
  const isNew = i % 3 === 0;
  const step = (nodeId: string, port: string | undefined, durationMs: number): StepRecord => ({
    nodeId,
    type: nodeId,
    status: "completed",
    ...(port ? { port } : {}),
    inputs: null,
    outputs: null,
    startedAt: at,
    durationMs,
  });
  const steps = [step("start", "next", 0.1), step("lookup", "next", 0.4 + (i % 7) / 10)];
  if (fail) steps.push({ ...step("send", undefined, 30), status: "error" });
  else {
    steps.push(step("send", "next", 3 + (i % 40)), step("is_new", isNew ? "true" : "false", 0.1));
    if (isNew) steps.push(step("create", "next", 0.8));
    steps.push(step("end", undefined, 0.1));
  }
  return {
    id: `bench${i}`,
    flowId,
    version: 1,
    status: fail ? "error" : "completed",
    queue: "outbound",
    queueRowId: null,
    runKey: `bench-${i}`,
    inputs: { payload: { n: i } },
    outputs: {},
    steps,
    error: fail ? "Remote answered 400: invalid value" : null,
    errorNodeId: fail ? "send" : null,
    startedAt: at,
    durationMs: 5,
  };
}

export async function liveCanvasBench(browser: Browser): Promise<void> {
  const first = await startInstance({ name: "bench-live" });
  const { id: _id, ...graph } = outboundBasic;
  let created: { id: string };
  try {
    created = await call<{ id: string }>(first, "flows.create", {
      graph: { ...graph, name: "Bench live canvas" },
    });
    await call(first, "flows.publish", { id: created.id });
  } finally {
    await first.stop();
  }

  // One writer at a time: the file is seeded while no server has it open.
  const db = openDatabase({ file: `${first.dataDir}/tandem.db` });
  const writer = new ExecutionWriter(new SqliteStorage(db.$client));
  const now = Date.now();
  const s0 = Date.now();
  for (let i = 0; i < RUNS; i++) {
    writer.add(execution(i, created.id, now));
    if (i % 500 === 499) await writer.flush();
  }
  await writer.flush();
  const seedMs = Date.now() - s0;
  const rows = (
    db.$client.prepare("SELECT count(*) AS n FROM flow_node_stat WHERE flow_id = ?").get(created.id) as {
      n: number;
    }
  ).n;
  db.$client.close();
  const inst = await startInstance({ name: "bench-live", dataDir: first.dataDir });
  try {
    await measure(inst, browser, created.id, { seedMs, rows });
  } finally {
    await inst.stop();
  }
}

async function measure(
  inst: RunningInstance,
  browser: Browser,
  flowId: string,
  seeded: { seedMs: number; rows: number },
): Promise<void> {
  const created = { id: flowId };
  const { seedMs, rows } = seeded;

  const query = async () => {
    const input = encodeURIComponent(JSON.stringify({ flowId: created.id, window: "24h" }));
    const t = performance.now();
    const res = await fetch(`${inst.url}/api/trpc/flowStats.figures?input=${input}`, { headers: auth });
    const body = (await res.json()) as {
      result: { data: { current: { nodes: Record<string, { runs: number }> } } };
    };
    return { ms: performance.now() - t, runs: body.result.data.current.nodes.start?.runs ?? 0 };
  };
  try {
    await query();
  } catch (e) {
    throw new Error(`the figures query failed: ${e}\n${inst.output().slice(-3000)}`);
  }
  const times: number[] = [];
  let runs = 0;
  for (let i = 0; i < 5; i++) {
    const q = await query();
    times.push(q.ms);
    runs = q.runs;
  }
  times.sort((a, b) => a - b);

  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.goto(`${inst.url}/login`);
  await page.getByLabel("User name").fill("admin");
  await page.getByLabel("Password").fill("admin");
  await page.getByLabel("Password").press("Enter");
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  const shown = `[data-testid="figures-start"][data-runs="${RUNS}"]`;
  await page.goto(`${inst.url}/flows/${created.id}`); // warm the route's chunks
  await page.locator(shown).waitFor();
  const opens: number[] = [];
  const canvases: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = Date.now();
    await page.goto(`${inst.url}/flows/${created.id}`);
    await page.locator('.react-flow__node[data-id="start"]').waitFor();
    canvases.push(Date.now() - t0);
    await page.locator(shown).waitFor();
    opens.push(Date.now() - t0);
  }
  opens.sort((a, b) => a - b);
  canvases.sort((a, b) => a - b);
  await page.close();

  const line = (label: string, value: string, aim: string) =>
    console.log(`${label.padEnd(44)}${value.padStart(10)}   (aim ${aim})`);
  console.log(
    `live canvas: ${RUNS} executions seeded through the ExecutionWriter in ${seedMs} ms (${rows} aggregate rows)`,
  );
  line(`figures query, 24 h window (${runs} runs)`, `${times[2]?.toFixed(1)} ms`, "median of 5");
  line("open the flow until its canvas is drawn", `${canvases[1]} ms`, "median of 3");
  line("open the flow until the overlay shows", `${opens[1]} ms`, "< 1000 ms, median of 3");
}

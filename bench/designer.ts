/**
 * Designer bench: `npm run bench -- designer` (needs a production build). Prints, in real
 * Chromium, the time to open a generated 500-node flow until every node is on the canvas, and
 * frames per second while dragging one node for about two seconds; then the live canvas's
 * overlay on a flow with 100,000 executions (bench/_live-canvas.ts). Figures only, never asserted.
 */
import { chromium } from "playwright-core";
import type { CanvasGraph } from "../flows/schema/canvas";
import { basic, startInstance } from "../tests/support/instances";
import { liveCanvasBench } from "./_live-canvas";

const NODES = 500;
const COLUMNS = 25;

/** start → 498 Log nodes in a snake of columns → end: every node wired, every config valid. */
function generate(): CanvasGraph {
  const nodes: CanvasGraph["nodes"] = [];
  const edges: CanvasGraph["edges"] = [];
  const at = (i: number) => ({ x: (i % COLUMNS) * 260, y: Math.floor(i / COLUMNS) * 130 });
  nodes.push({
    id: "start",
    type: "flow_inputs",
    typeVersion: 1,
    position: at(0),
    label: "Flow Inputs",
    config: {},
  });
  let prev = "start";
  for (let i = 1; i < NODES - 1; i++) {
    const id = `log_${i}`;
    nodes.push({
      id,
      type: "log",
      typeVersion: 1,
      position: at(i),
      label: `Log ${i}`,
      config: { level: "info", message: { kind: "pill", path: ["inputs", "who"] } },
    });
    edges.push({ id: `e${i}`, source: prev, sourcePort: "next", target: id });
    prev = id;
  }
  nodes.push({ id: "end", type: "end", typeVersion: 1, position: at(NODES - 1), label: "End", config: {} });
  edges.push({ id: "e_end", source: prev, sourcePort: "next", target: "end" });
  return {
    schemaVersion: 2,
    name: `Generated ${NODES} nodes`,
    description: "",
    kind: "subflow",
    inputs: [{ name: "who", type: "string" }],
    outputs: [],
    nodes,
    edges,
  };
}

async function main() {
  const inst = await startInstance({ name: "bench-designer" });
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium" });
  try {
    const res = await fetch(`${inst.url}/api/trpc/flows.create`, {
      method: "POST",
      headers: { authorization: basic("admin", "admin"), "content-type": "application/json" },
      body: JSON.stringify({ graph: generate() }),
    });
    const { result } = (await res.json()) as { result: { data: { id: string } } };
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(`${inst.url}/login`);
    await page.getByLabel("User name").fill("admin");
    await page.getByLabel("Password").fill("admin");
    await page.getByLabel("Password").press("Enter");
    await page.waitForURL((u) => !u.pathname.startsWith("/login"));

    // Warm the route once (first compile of the page's chunks is not what a user waits for twice).
    await page.goto(`${inst.url}/flows/${result.data.id}`);
    await page.locator(".react-flow__node").first().waitFor();

    const t0 = Date.now();
    await page.goto(`${inst.url}/flows/${result.data.id}`);
    // A large flow opens on its start and renders what is on screen: "open" is until that view
    // is drawn and the editor is ready (nodes on screen, their count steady for two frames).
    await page.locator('.react-flow__node[data-id="start"]').waitFor();
    await page.waitForFunction(`new Promise((resolve) => {
      const count = () => document.querySelectorAll(".react-flow__node").length;
      const before = count();
      requestAnimationFrame(() => requestAnimationFrame(() => resolve(count() === before && before > 0)));
    })`);
    const openMs = Date.now() - t0;
    const rendered = await page.locator(".react-flow__node").count();

    const box = await page.locator('.react-flow__node[data-id^="log_"]').nth(3).boundingBox();
    if (!box) throw new Error("node not visible");
    // A string, not a function: tsx would inject its __name helper, which the page lacks.
    await page.evaluate(`(() => {
      window.__frames = 0;
      window.__counting = true;
      const tick = () => {
        if (!window.__counting) return;
        window.__frames++;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    })()`);
    const x = box.x + box.width / 2;
    const y = box.y + 12;
    await page.mouse.move(x, y);
    await page.mouse.down();
    const d0 = Date.now();
    for (let i = 0; Date.now() - d0 < 2000; i++) {
      await page.mouse.move(x + Math.sin(i / 10) * 200, y + Math.cos(i / 10) * 120);
    }
    const dragMs = Date.now() - d0;
    await page.mouse.up();
    const frames = Number(
      await page.evaluate("(() => { window.__counting = false; return window.__frames; })()"),
    );
    const line = (label: string, value: string, aim: string) =>
      console.log(`${label.padEnd(44)}${value.padStart(10)}   (aim ${aim})`);
    line(`open a ${NODES}-node flow (${rendered} nodes on screen)`, `${openMs} ms`, "< 2000 ms");
    line("frames per second while dragging a node", `${((frames * 1000) / dragMs).toFixed(1)}`, "> 50");
  } finally {
    await inst.stop();
  }
  try {
    await liveCanvasBench(browser);
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

/**
 * Flows bench: `npx tsx bench/flows.ts`. Prints figures beside their aims; asserts nothing
 * (the machine is shared and noisy: compare ratios, not absolutes).
 *   1. compile time of a generated 1,000-node flow
 *   2. interpreter overhead per step on a 20-step pure-logic flow
 *   3. runs per second of the inbound template on the in-memory ports
 */
import { compileFlow } from "../flows/compiler/compile";
import { runFlow } from "../flows/interpreter/run";
import { literal, pill } from "../flows/schema/binding";
import type { CanvasGraph } from "../flows/schema/canvas";
import { inboundBasic } from "../flows/templates/inbound-basic/flow";
import { sampleIncidentPayload } from "../flows/templates/inbound-basic/sample-payload";
import { FlowBuilder } from "../flows/testing/builders";
import { createMemoryPorts } from "../flows/testing/memory-ports";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const fmt = (n: number, digits = 2) => n.toFixed(digits).padStart(10);
const line = (label: string, value: string, aim: string) =>
  console.log(`${label.padEnd(44)}${value}   (aim ${aim})`);

/** start → (set_variables, if)… → end: a chain that exercises ports, pills and type checks. */
function generate(nodes: number): CanvasGraph {
  const b = new FlowBuilder(`generated ${nodes}`, "subflow").input("n", "number").start();
  let prev = "start";
  for (let i = 1; i < nodes - 1; i++) {
    const id = `n${i}`;
    if (i % 2 === 1)
      b.node(id, "set_variables", { assignments: [{ name: `v${i}`, value: pill(["inputs", "n"]) }] });
    else
      b.node(id, "if", {
        left: pill(["steps", `n${i - 1}`, `v${i - 1}`]),
        operator: "greater_than",
        right: literal(0),
      });
    if (prev.startsWith("n") && Number(prev.slice(1)) % 2 === 0) {
      b.edge(prev, id, "true").edge(prev, id, "false");
    } else b.edge(prev, id);
    prev = id;
  }
  b.node("end", "end", { values: {} });
  if (Number(prev.slice(1)) % 2 === 0) b.edge(prev, "end", "true").edge(prev, "end", "false");
  else b.edge(prev, "end");
  return b.build();
}

async function benchCompile() {
  const graph = generate(1000);
  const check = compileFlow(graph);
  if (!check.dag) throw new Error(`generated flow does not compile: ${check.diagnostics[0]?.message}`);
  for (let i = 0; i < 5; i++) compileFlow(graph);
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    compileFlow(graph);
    times.push(performance.now() - t);
  }
  line("compile, 1,000-node flow (median ms)", fmt(median(times)), "< 20 ms");
}

async function benchSteps() {
  const dag = compileFlow(generate(20)).dag;
  if (!dag) throw new Error("20-step flow does not compile");
  const ports = createMemoryPorts();
  const runs = 50_000;
  for (let i = 0; i < 5_000; i++) await runFlow(dag, { n: i }, { ports, runKey: "w" });
  const samples: number[] = [];
  for (let round = 0; round < 5; round++) {
    const t = performance.now();
    for (let i = 0; i < runs / 5; i++) await runFlow(dag, { n: i }, { ports, runKey: "r" });
    samples.push(((performance.now() - t) * 1000) / (runs / 5) / 20);
  }
  line("interpreter, 20-step logic flow (µs/step)", fmt(median(samples), 3), "< 5 µs");
}

async function benchInbound() {
  const dag = compileFlow(inboundBasic).dag;
  if (!dag) throw new Error("inbound template does not compile");
  const ports = createMemoryPorts();
  const inputs = {
    remote_system: "alpha",
    remote_correlation_id: "r1",
    local_correlation_id: "l1",
    process_event: "incident",
    payload: sampleIncidentPayload,
    operation: "update",
  };
  // The first message creates the incident; the measured ones update it (the common case).
  await runFlow(dag, inputs, { ports, runKey: "first" });
  for (let i = 0; i < 2_000; i++) await runFlow(dag, inputs, { ports, runKey: `w${i}` });
  ports.records.writes.length = 0;
  const samples: number[] = [];
  for (let round = 0; round < 5; round++) {
    const n = 10_000;
    const t = performance.now();
    for (let i = 0; i < n; i++) {
      const r = await runFlow(dag, inputs, { ports, runKey: `b${i}` });
      if (r.status !== "completed") throw new Error(r.error?.message);
    }
    samples.push(n / ((performance.now() - t) / 1000));
    ports.records.writes.length = 0;
    ports.records.journal.clear();
  }
  line("inbound template, in-memory ports (runs/s)", fmt(median(samples), 0), "> 50,000/s");
}

console.log(`flows bench — node ${process.version}, one core`);
await benchCompile();
await benchSteps();
await benchInbound();

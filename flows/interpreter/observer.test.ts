import { AsyncLocalStorage } from "node:async_hooks";
import { describe, expect, it } from "vitest";
import { DataError } from "../ports/errors";
import { literal, pill } from "../schema/binding";
import { flow } from "../testing/builders";
import { createMemoryPorts } from "../testing/memory-ports";
import type { StepObserver, StepOutcome } from "./observer";
import { runFlow } from "./run";

const sendCfg = {
  remoteSystem: literal("beta"),
  processEvent: literal("incident"),
  operation: literal("update"),
  payload: pill("inputs.payload"),
};

/** Records start/end per step, and runs each step's work with its node id in an async scope. */
function recorder() {
  const scope = new AsyncLocalStorage<string>();
  const events: string[] = [];
  const seenInside: string[] = [];
  const observer: StepObserver = {
    stepStart(step) {
      events.push(`start ${step.nodeId}`);
      return {
        run: (fn) => scope.run(step.nodeId, fn),
        end: (o: StepOutcome) => events.push(`end ${step.nodeId} ${o.status}${o.port ? ` ${o.port}` : ""}`),
      };
    },
  };
  return { scope, events, seenInside, observer };
}

describe("interpreter: step observer", () => {
  //   start → send(slow) → end
  it("brackets every step once, in order, and runs async step work inside the observer's scope", async () => {
    // ARRANGE
    const ports = createMemoryPorts();
    const rec = recorder();
    const send = ports.transport.send.bind(ports.transport);
    ports.transport.send = async (...args: Parameters<typeof send>) => {
      const inside = rec.scope.getStore() ?? "none";
      await new Promise((r) => setTimeout(r, 5));
      const result = await send(...args);
      rec.seenInside.push(inside, rec.scope.getStore() ?? "none");
      return result;
    };
    const dag = flow()
      .input("payload", "object")
      .start()
      .node("send", "send_payload", sendCfg)
      .node("end", "end")
      .chain("start", "send", "end")
      .compile();
    // ACT
    const r = await runFlow(dag, { payload: {} }, { ports, observer: rec.observer });
    // ASSERT
    expect(r.status).toBe("completed");
    expect(rec.events).toEqual([
      "start start",
      "end start completed next",
      "start send",
      "end send completed next",
      "start end",
      "end end completed next",
    ]);
    // The port call started in the Send step's scope and its continuation stayed there.
    expect(rec.seenInside).toEqual(["send", "send"]);
  });

  //   start → send ─error→ end
  it("reports a failed step with its error and the port it took", async () => {
    const ports = createMemoryPorts();
    ports.transport.failNext(new DataError("boom"));
    const rec = recorder();
    const dag = flow()
      .input("payload", "object")
      .start()
      .node("send", "send_payload", sendCfg)
      .node("end", "end")
      .chain("start", "send")
      .edge("send", "end", "error")
      .compile();
    const r = await runFlow(dag, { payload: {} }, { ports, observer: rec.observer });
    expect(r.status).toBe("completed");
    expect(rec.events).toContain("end send error error");
    expect(rec.events.filter((e) => e.startsWith("start")).length).toBe(
      rec.events.filter((e) => e.startsWith("end")).length,
    );
  });
});

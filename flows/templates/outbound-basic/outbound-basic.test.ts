import { describe, expect, it } from "vitest";
import { compileFlow } from "../../compiler/compile";
import { runFlow } from "../../interpreter/run";
import { createMemoryPorts } from "../../testing/memory-ports";
import { outboundBasic } from "./flow";
import json from "./flow.json" with { type: "json" };

//   start → lookup → send → is_new ─true→ create → end
//                              └──false──────────────↑

const inputs = {
  table: "incident",
  sys_id: "a1b2c3d4e5f60718293a4b5c6d7e8f90",
  remote_system: "beta",
  operation: "update",
  capture_definition: "incident-capture",
  process_event: "incident",
  lane_sequence: 1,
  payload: { changed_fields: [] },
};

describe("Outbound Flow Template – Basic", () => {
  it("flow.json is the same graph as the module, and it compiles clean", () => {
    expect(json).toEqual(outboundBasic);
    const { dag, diagnostics } = compileFlow(outboundBasic);
    expect(diagnostics).toEqual([]);
    expect(dag?.kind).toBe("outbound");
  });

  it("sends one message and creates a correlation on the first run, reuses it on the second", async () => {
    // ARRANGE
    const dag = compileFlow(outboundBasic).dag;
    if (!dag) throw new Error("template does not compile");
    const ports = createMemoryPorts();
    // ACT
    const first = await runFlow(dag, inputs, { ports, runKey: "out-1" });
    const second = await runFlow(dag, { ...inputs, lane_sequence: 2 }, { ports, runKey: "out-2" });
    // ASSERT
    expect(first).toMatchObject({ status: "completed", outputs: { status: "accepted", error_message: "" } });
    expect(second.status).toBe("completed");
    expect(ports.transport.sent).toHaveLength(2);
    expect(ports.correlations.all).toHaveLength(1);
    const corr = ports.correlations.all[0];
    const [m1, m2] = ports.transport.sent.map((s) => s.message);
    expect(m1).toMatchObject({
      sender_correlation_id: corr?.localCorrelationId,
      receiver_correlation_id: null,
      lane_sequence: 1,
    });
    expect(m2).toMatchObject({
      sender_correlation_id: corr?.localCorrelationId,
      receiver_correlation_id: corr?.remoteCorrelationId,
    });
    expect(second.steps.map((s) => s.nodeId)).not.toContain("create");
  });

  it("reprocessing the same queue row never sends the message twice", async () => {
    const dag = compileFlow(outboundBasic).dag;
    if (!dag) throw new Error("template does not compile");
    const ports = createMemoryPorts();
    const first = await runFlow(dag, inputs, { ports, runKey: "out-9" });
    await runFlow(dag, inputs, { ports, runKey: "out-9", journal: first.steps });
    expect(ports.transport.sent).toHaveLength(1);
  });
});

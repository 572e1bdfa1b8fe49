import { describe, expect, it } from "vitest";
import { compileFlow } from "../../compiler/compile";
import { runFlow } from "../../interpreter/run";
import { createMemoryPorts } from "../../testing/memory-ports";
import { outboundBasic } from "../outbound-basic/flow";
import { inboundBasic } from "./flow";
import json from "./flow.json" with { type: "json" };
import { sampleIncidentPayload } from "./sample-payload";

//   start → transform → lookup → found ─true→ map_update → update → end_updated
//                                  └─false→ map_create → create → correlate → end_created

const compiled = () => {
  const dag = compileFlow(inboundBasic).dag;
  if (!dag) throw new Error("template does not compile");
  return dag;
};

const message = (localId: string, changes: Record<string, string> = {}) => ({
  remote_system: "alpha",
  remote_correlation_id: "alpha-corr-1",
  local_correlation_id: localId,
  process_event: "incident",
  operation: "update",
  payload: {
    ...sampleIncidentPayload,
    changed_fields: sampleIncidentPayload.changed_fields.map((f) =>
      f.key in changes ? { ...f, value: changes[f.key], display_value: changes[f.key], changed: true } : f,
    ),
  },
});

describe("Inbound Flow Template – Basic", () => {
  it("flow.json is the same graph as the module, and it compiles clean", () => {
    expect(json).toEqual(inboundBasic);
    expect(compileFlow(inboundBasic).diagnostics).toEqual([]);
  });

  it("creates a record and a correlation for the first message, updates that record for the second", async () => {
    // ARRANGE
    const dag = compiled();
    const ports = createMemoryPorts();
    ports.records.seed("sys_user", { name: "Bob Smith" });
    // ACT
    const first = await runFlow(dag, message("beta-corr-1"), {
      ports,
      runKey: "in-1",
      runAs: "sync.alpha",
      originRemoteSystem: "alpha",
    });
    // The sender may not know our id yet: a second message with a fresh local id still finds it by remote id.
    const second = await runFlow(
      dag,
      message("beta-corr-NEW", { state: "6", close_code: "Solved (Permanently)", resolved_by: "Bob Smith" }),
      {
        ports,
        runKey: "in-2",
      },
    );
    // ASSERT
    expect(first).toMatchObject({ status: "completed", outputs: { action: "created" } });
    expect(second).toMatchObject({
      status: "completed",
      outputs: { action: "updated", record_sys_id: first.outputs.record_sys_id },
    });
    const incidents = [...(ports.records.tables.get("incident")?.values() ?? [])];
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({
      short_description: "Printer on fire",
      state: "6",
      close_code: "Solved (Permanently)",
    });
    expect(incidents[0]?.resolved_by).toMatch(/^[0-9a-f]{32}$/);
    expect(ports.correlations.all).toEqual([
      expect.objectContaining({
        localCorrelationId: "beta-corr-1",
        remoteCorrelationId: "alpha-corr-1",
        remoteSystem: "alpha",
      }),
    ]);
    expect(ports.records.writes[0]?.meta).toMatchObject({ runAs: "sync.alpha", originRemoteSystem: "alpha" });
    expect(ports.records.journal.get(String(first.outputs.record_sys_id))?.[0]).toMatchObject({
      value: "Fire brigade called",
      created_by: "alice",
    });
  });

  it("a payload with an invalid choice fails naming the field", async () => {
    const r = await runFlow(compiled(), message("c-2", { state: "42" }), {
      ports: createMemoryPorts(),
      runKey: "in-x",
    });
    expect(r).toMatchObject({ status: "error", error: { field: "state", nodeId: "create" } });
  });

  //   alpha: outbound template ──memory transport──▶ beta: inbound template
  it("end to end: alpha's outbound template delivers into beta's inbound template", async () => {
    const alpha = createMemoryPorts({ correlationPrefix: "alpha-" });
    const beta = createMemoryPorts({ correlationPrefix: "beta-" });
    const outbound = compileFlow(outboundBasic).dag;
    if (!outbound) throw new Error("outbound template does not compile");
    const inbound = compiled();
    let seq = 0;
    alpha.transport.connectTo(async (_remote, m) => {
      const local = m.receiver_correlation_id ?? `beta-new-${++seq}`;
      const r = await runFlow(
        inbound,
        {
          remote_system: "alpha",
          remote_correlation_id: m.sender_correlation_id,
          local_correlation_id: local,
          process_event: m.process_event,
          payload: m.payload,
          operation: m.operation,
        },
        { ports: beta, runKey: m.id },
      );
      return r.status === "completed"
        ? { status: "accepted", receiverCorrelationId: local }
        : { status: "rejected", error: r.error?.message ?? "failed" };
    });
    const base = {
      table: "incident",
      sys_id: "a1b2c3d4e5f60718293a4b5c6d7e8f90",
      remote_system: "beta",
      operation: "update",
      capture_definition: "c",
      process_event: "incident",
    };
    const r1 = await runFlow(
      outbound,
      { ...base, lane_sequence: 1, payload: message("x").payload },
      { ports: alpha, runKey: "q1" },
    );
    const r2 = await runFlow(
      outbound,
      { ...base, lane_sequence: 2, payload: message("x", { state: "2" }).payload },
      { ports: alpha, runKey: "q2" },
    );
    expect([r1.status, r2.status]).toEqual(["completed", "completed"]);
    expect(beta.records.tables.get("incident")?.size).toBe(1);
    expect([...(beta.records.tables.get("incident")?.values() ?? [])][0]?.state).toBe("2");
    expect(alpha.correlations.all[0]?.remoteCorrelationId).toBe(beta.correlations.all[0]?.localCorrelationId);
  });
});

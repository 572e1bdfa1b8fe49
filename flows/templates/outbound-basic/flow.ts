import { literal, pill } from "../../schema/binding";
import type { CanvasGraph } from "../../schema/canvas";

/**
 * Outbound Flow Template – Basic (SPEC 4.6). This module is the source of truth; flow.json
 * beside it is the same graph for people and tools, kept equal by the template's test.
 *
 *   start → lookup → send → is_new ─true→ create → end
 *                              └──false──────────────↑
 */
export const outboundBasic: CanvasGraph = {
  schemaVersion: 2,
  id: "outbound-basic",
  name: "Outbound Flow Template – Basic",
  description: "Correlates the captured record, sends the payload, and records a new correlation.",
  kind: "outbound",
  inputs: [
    { name: "table", type: "string", label: "Local table" },
    { name: "sys_id", type: "string", label: "Local record" },
    { name: "remote_system", type: "string", label: "Remote system" },
    { name: "operation", type: "string", label: "Operation" },
    { name: "capture_definition", type: "string", label: "Capture definition" },
    { name: "process_event", type: "string", label: "Process event" },
    { name: "lane_sequence", type: "number", label: "Lane sequence" },
    { name: "payload", type: "object", label: "Payload" },
  ],
  outputs: [
    { name: "status", type: "string", label: "Status" },
    { name: "error_message", type: "string", label: "Error message" },
  ],
  nodes: [
    {
      id: "start",
      type: "flow_inputs",
      typeVersion: 1,
      position: { x: 0, y: 0 },
      label: "Flow Inputs",
      config: {},
    },
    {
      id: "lookup",
      type: "lookup_correlation",
      typeVersion: 1,
      position: { x: 300, y: 0 },
      label: "Look Up Correlation",
      config: {
        by: "local_record",
        remoteSystem: pill("inputs.remote_system"),
        table: pill("inputs.table"),
        sysId: pill("inputs.sys_id"),
      },
    },
    {
      id: "send",
      type: "send_payload",
      typeVersion: 1,
      position: { x: 600, y: 0 },
      label: "Send Captured Payload",
      config: {
        remoteSystem: pill("inputs.remote_system"),
        processEvent: pill("inputs.process_event"),
        operation: pill("inputs.operation"),
        payload: pill("inputs.payload"),
        senderCorrelationId: pill("steps.lookup.correlation.localCorrelationId"),
        receiverCorrelationId: pill("steps.lookup.correlation.remoteCorrelationId"),
        laneSequence: pill("inputs.lane_sequence"),
      },
    },
    {
      id: "is_new",
      type: "if",
      typeVersion: 1,
      position: { x: 900, y: 0 },
      label: "New correlation?",
      config: { left: pill("steps.send.newCorrelation"), operator: "is_true" },
    },
    {
      id: "create",
      type: "create_correlation",
      typeVersion: 1,
      position: { x: 1200, y: -200 },
      label: "Create Correlation",
      config: {
        remoteSystem: pill("inputs.remote_system"),
        table: pill("inputs.table"),
        sysId: pill("inputs.sys_id"),
        localCorrelationId: pill("steps.send.senderCorrelationId"),
        remoteCorrelationId: pill("steps.send.receiverCorrelationId"),
      },
    },
    {
      id: "end",
      type: "end",
      typeVersion: 1,
      position: { x: 1500, y: 0 },
      label: "End",
      config: { values: { status: pill("steps.send.status"), error_message: literal("") } },
    },
  ],
  edges: [
    { id: "e1", source: "start", sourcePort: "next", target: "lookup" },
    { id: "e2", source: "lookup", sourcePort: "next", target: "send" },
    { id: "e3", source: "send", sourcePort: "next", target: "is_new" },
    { id: "e4", source: "is_new", sourcePort: "true", target: "create" },
    { id: "e5", source: "is_new", sourcePort: "false", target: "end" },
    { id: "e6", source: "create", sourcePort: "next", target: "end" },
  ],
};

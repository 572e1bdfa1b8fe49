import { literal, pill } from "../../schema/binding";
import type { CanvasGraph } from "../../schema/canvas";
import { sampleIncidentPayload } from "./sample-payload";

/**
 * Inbound Flow Template – Basic (SPEC 4.6). Source of truth; flow.json mirrors it.
 *
 *   start → transform → lookup → found ─true→ map_update → update → attachments (update) → remove deleted → end_updated
 *                                  └─false→ map_create → create → correlate → attachments (create) → end_created
 *
 * "attachments" is Attachments offered? → Identify New Attachments → Request Attachments → Move
 * Attachments (skipped when the payload offers none): the files
 * the record lacks are asked for by key; the sender pushes them, and they are moved onto the
 * record when the transfer completes (Move also picks up files that arrived before a re-run).
 */
const position = (x: number, y: number) => ({ x, y });
/** Column width on the canvas: a 220 px node and room for the edge's arrow (issue 15). */
const STEP = 300;

/**
 * Any attachments offered? → Identify New → Request → Move for the record `sysId` points at.
 * The If sits on its branch's row at (x0, y); the attachment steps run on their own row
 * (`chainY`) on the side of the If's "true" port, so its "false" edge goes straight on
 * without crossing them.
 */
const attachmentNodes = (suffix: string, sysId: string, y: number, x0: number, chainY: number) => [
  {
    // Most messages carry no attachments: skip the look-ups then (they cost queries per row).
    id: `has_attachments_${suffix}`,
    type: "if",
    typeVersion: 1,
    position: position(x0, y),
    label: "Attachments offered?",
    config: { left: pill("steps.transform.attachment_metadata"), operator: "is_not_empty" },
  },
  {
    id: `attachments_new_${suffix}`,
    type: "identify_new_attachments",
    typeVersion: 1,
    position: position(x0 + STEP, chainY),
    label: "Identify New Attachments",
    config: {
      table: literal("incident"),
      sysId: pill(sysId),
      attachments: pill("steps.transform.attachment_metadata"),
    },
  },
  {
    id: `attachments_request_${suffix}`,
    type: "request_attachments",
    typeVersion: 1,
    position: position(x0 + 2 * STEP, chainY),
    label: "Request Attachments",
    config: {
      remoteSystem: pill("inputs.remote_system"),
      table: literal("incident"),
      sysId: pill(sysId),
      attachments: pill(`steps.attachments_new_${suffix}.attachments`),
    },
  },
  {
    id: `attachments_move_${suffix}`,
    type: "move_attachments",
    typeVersion: 1,
    position: position(x0 + 3 * STEP, chainY),
    label: "Move Attachments",
    config: {
      remoteSystem: pill("inputs.remote_system"),
      correlationId: pill(
        suffix === "update"
          ? "steps.lookup.correlation.localCorrelationId"
          : "steps.correlate.correlation.localCorrelationId",
      ),
      table: literal("incident"),
      sysId: pill(sysId),
    },
  },
];

const mapFieldsConfig = (onlyChanged: boolean) => ({
  table: "incident",
  source: pill("steps.transform.changed_fields"),
  // Map every included field the incident table has; explicit rows could override any of them.
  mapAll: true,
  onlyChanged,
  rows: [],
  journal: pill("steps.transform.journal_entries"),
});

export const inboundBasic: CanvasGraph = {
  schemaVersion: 2,
  id: "inbound-basic",
  name: "Inbound Flow Template – Basic",
  description: "Correlates an inbound message with a local incident, then updates it or creates it.",
  kind: "inbound",
  inputs: [
    { name: "remote_system", type: "string", label: "Remote system" },
    { name: "remote_correlation_id", type: "string", label: "Remote correlation id" },
    { name: "local_correlation_id", type: "string", label: "Local correlation id" },
    { name: "process_event", type: "string", label: "Process event" },
    { name: "payload", type: "any", label: "Payload" },
    { name: "operation", type: "string", label: "Operation" },
  ],
  outputs: [
    { name: "action", type: "string", label: "created or updated" },
    { name: "record_sys_id", type: "string", label: "Local record" },
  ],
  nodes: [
    {
      id: "start",
      type: "flow_inputs",
      typeVersion: 1,
      position: position(0, 0),
      label: "Flow Inputs",
      config: {},
    },
    {
      id: "transform",
      type: "transform_payload",
      typeVersion: 1,
      position: position(STEP, 0),
      label: "Transform Payload",
      config: { payload: pill("inputs.payload"), format: "captured", samplePayload: sampleIncidentPayload },
    },
    {
      id: "lookup",
      type: "lookup_correlation",
      typeVersion: 1,
      position: position(2 * STEP, 0),
      label: "Look Up Correlation",
      config: {
        by: "local_or_remote_id",
        remoteSystem: pill("inputs.remote_system"),
        localCorrelationId: pill("inputs.local_correlation_id"),
        remoteCorrelationId: pill("inputs.remote_correlation_id"),
      },
    },
    {
      id: "found",
      type: "if",
      typeVersion: 1,
      position: position(3 * STEP, 0),
      label: "Found?",
      config: { left: pill("steps.lookup.found"), operator: "is_true" },
    },
    {
      id: "map_update",
      type: "map_fields",
      typeVersion: 1,
      position: position(4 * STEP, -200),
      label: "Map Fields",
      config: mapFieldsConfig(true),
    },
    {
      id: "update",
      type: "update_record",
      typeVersion: 1,
      position: position(5 * STEP, -200),
      label: "Update Record",
      config: {
        table: "incident",
        sysId: pill("steps.lookup.correlation.sysId"),
        values: pill("steps.map_update.values"),
        journal: pill("steps.map_update.journal"),
      },
    },
    ...attachmentNodes("update", "steps.update.sys_id", -200, 6 * STEP, -400),
    {
      id: "attachments_remove_update",
      type: "remove_attachments",
      typeVersion: 1,
      position: position(10 * STEP, -400),
      label: "Remove Deleted Attachments",
      config: {
        remoteSystem: pill("inputs.remote_system"),
        table: literal("incident"),
        sysId: pill("steps.update.sys_id"),
        attachments: pill("steps.transform.attachment_metadata"),
      },
    },
    {
      id: "end_updated",
      type: "end",
      typeVersion: 1,
      position: position(11 * STEP, -200),
      label: "End",
      config: { values: { action: literal("updated"), record_sys_id: pill("steps.update.sys_id") } },
    },
    {
      id: "map_create",
      type: "map_fields",
      typeVersion: 1,
      position: position(4 * STEP, 200),
      label: "Map Fields",
      config: mapFieldsConfig(false),
    },
    {
      id: "create",
      type: "create_record",
      typeVersion: 1,
      position: position(5 * STEP, 200),
      label: "Create Record",
      config: {
        table: "incident",
        values: pill("steps.map_create.values"),
        journal: pill("steps.map_create.journal"),
      },
    },
    {
      id: "correlate",
      type: "create_correlation",
      typeVersion: 1,
      position: position(6 * STEP, 200),
      label: "Create Correlation",
      config: {
        remoteSystem: pill("inputs.remote_system"),
        table: literal("incident"),
        sysId: pill("steps.create.sys_id"),
        localCorrelationId: pill("inputs.local_correlation_id"),
        remoteCorrelationId: pill("inputs.remote_correlation_id"),
      },
    },
    ...attachmentNodes("create", "steps.create.sys_id", 200, 7 * STEP, 0),
    {
      id: "end_created",
      type: "end",
      typeVersion: 1,
      position: position(11 * STEP, 200),
      label: "End",
      config: { values: { action: literal("created"), record_sys_id: pill("steps.create.sys_id") } },
    },
  ],
  edges: [
    { id: "e1", source: "start", sourcePort: "next", target: "transform" },
    { id: "e2", source: "transform", sourcePort: "next", target: "lookup" },
    { id: "e3", source: "lookup", sourcePort: "next", target: "found" },
    { id: "e4", source: "found", sourcePort: "true", target: "map_update" },
    { id: "e5", source: "map_update", sourcePort: "next", target: "update" },
    { id: "e6", source: "update", sourcePort: "next", target: "has_attachments_update" },
    { id: "e18", source: "has_attachments_update", sourcePort: "true", target: "attachments_new_update" },
    { id: "e19", source: "has_attachments_update", sourcePort: "false", target: "end_updated" },
    { id: "e11", source: "attachments_new_update", sourcePort: "next", target: "attachments_request_update" },
    {
      id: "e12",
      source: "attachments_request_update",
      sourcePort: "next",
      target: "attachments_move_update",
    },
    { id: "e13", source: "attachments_move_update", sourcePort: "next", target: "attachments_remove_update" },
    { id: "e17", source: "attachments_remove_update", sourcePort: "next", target: "end_updated" },
    { id: "e7", source: "found", sourcePort: "false", target: "map_create" },
    { id: "e8", source: "map_create", sourcePort: "next", target: "create" },
    { id: "e9", source: "create", sourcePort: "next", target: "correlate" },
    { id: "e10", source: "correlate", sourcePort: "next", target: "has_attachments_create" },
    { id: "e20", source: "has_attachments_create", sourcePort: "true", target: "attachments_new_create" },
    { id: "e21", source: "has_attachments_create", sourcePort: "false", target: "end_created" },
    { id: "e14", source: "attachments_new_create", sourcePort: "next", target: "attachments_request_create" },
    {
      id: "e15",
      source: "attachments_request_create",
      sourcePort: "next",
      target: "attachments_move_create",
    },
    { id: "e16", source: "attachments_move_create", sourcePort: "next", target: "end_created" },
  ],
};

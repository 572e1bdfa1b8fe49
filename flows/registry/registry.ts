import { callSubflow } from "../node-types/call-subflow";
import { correlate } from "../node-types/correlate";
import { createCorrelation } from "../node-types/create-correlation";
import { createRecord } from "../node-types/create-record";
import { deleteRecord } from "../node-types/delete-record";
import { end } from "../node-types/end";
import { flowInputs } from "../node-types/flow-inputs";
import { forEach } from "../node-types/for-each";
import { getAttachmentMetadata } from "../node-types/get-attachment-metadata";
import { identifyNewAttachments } from "../node-types/identify-new-attachments";
import { ifNode } from "../node-types/if";
import { log } from "../node-types/log";
import { lookupCorrelation } from "../node-types/lookup-correlation";
import { lookupRecord } from "../node-types/lookup-record";
import { mapFields } from "../node-types/map-fields";
import { moveAttachments } from "../node-types/move-attachments";
import { removeAttachments } from "../node-types/remove-attachments";
import { reprocessQueueRecord } from "../node-types/reprocess-queue-record";
import { requestAttachments } from "../node-types/request-attachments";
import { sendEmail } from "../node-types/send-email";
import { sendPayload } from "../node-types/send-payload";
import { setVariables } from "../node-types/set-variables";
import { skipQueueRecord } from "../node-types/skip-queue-record";
import { transformPayload } from "../node-types/transform-payload";
import { updateCorrelationState } from "../node-types/update-correlation-state";
import { updateRecord } from "../node-types/update-record";
import { type NodeType, PALETTE_GROUPS, type PaletteGroup } from "./types";

/** The only list of node types. Palette order follows this list within each group. */
export const NODE_TYPES: readonly NodeType[] = [
  flowInputs,
  lookupCorrelation,
  createCorrelation,
  updateCorrelationState,
  correlate,
  sendPayload,
  transformPayload,
  getAttachmentMetadata,
  identifyNewAttachments,
  requestAttachments,
  moveAttachments,
  removeAttachments,
  lookupRecord,
  createRecord,
  updateRecord,
  deleteRecord,
  mapFields,
  ifNode,
  forEach,
  setVariables,
  end,
  log,
  sendEmail,
  reprocessQueueRecord,
  skipQueueRecord,
  callSubflow,
];

const byId = new Map(NODE_TYPES.map((n) => [n.id, n]));

export function getNodeType(id: string): NodeType | undefined {
  return byId.get(id);
}

export function listNodeTypes(): readonly NodeType[] {
  return NODE_TYPES;
}

/** Node types grouped for the designer's palette, groups in SPEC 4.2 order. */
export function paletteGroups(): Array<{ group: PaletteGroup; types: NodeType[] }> {
  return PALETTE_GROUPS.map((group) => ({ group, types: NODE_TYPES.filter((n) => n.group === group) }));
}

/** A node's config with defaults applied, as a new node dropped from the palette gets it. */
export function defaultConfig(type: NodeType): Record<string, unknown> {
  const parsed = type.configSchema.safeParse({});
  return parsed.success ? parsed.data : {};
}

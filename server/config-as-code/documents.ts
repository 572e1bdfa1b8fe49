import { z } from "zod";

// The files of an exported configuration (one JSON document per object). Every document says
// what it is in `type`, so the importer does not depend on file names; objects keep the ids of
// the instance they came from, and references between documents are by id. Records that differ
// between instances (users, groups in capture filters) are referred to by name instead.

export const FORMAT = { format: "tandem-config", version: 1 } as const;

const id = z.string().min(1);

export const definitionDoc = z.object({
  type: z.literal("sync-definition"),
  id,
  name: z.string(),
  description: z.string().default(""),
  domain: z.string().default("global"),
});

export const eventDoc = z.object({
  type: z.literal("process-event"),
  id,
  definitionId: id,
  name: z.string(),
  domain: z.string().default("global"),
});

/** A capture's filter as exported: reference values may be given by display value (`by`). */
const portableCondition = z.object({
  field: z.string(),
  operator: z.string(),
  value: z.string().default(""),
  by: z.literal("display").optional(),
});
export type PortableCondition = z.infer<typeof portableCondition>;

export const captureDoc = z
  .object({
    type: z.literal("capture-definition"),
    id,
    filter: z.object({
      match: z.enum(["all", "any"]).default("all"),
      groups: z
        .array(
          z.object({
            match: z.enum(["all", "any"]).default("all"),
            conditions: z.array(portableCondition).default([]),
          }),
        )
        .default([]),
    }),
  })
  .catchall(z.unknown()); // the capture's other fields, validated by the config store's schema

export const remoteDoc = z
  .object({
    type: z.literal("remote-system"),
    id,
    name: z.string(),
    /** User names, not ids: users are created per instance. */
    inboundApiUser: z.string().nullable().default(null),
    runAsUser: z.string().nullable().default(null),
  })
  .catchall(z.unknown());

export const bindingDoc = z
  .object({ type: z.literal("flow-binding"), id, processEventId: id, remoteSystemId: id, flowId: id })
  .catchall(z.unknown());

export const flowDoc = z.object({
  type: z.literal("flow"),
  id,
  name: z.string(),
  description: z.string().default(""),
  kind: z.enum(["outbound", "inbound", "error", "subflow"]),
  templateId: z.string().nullable().default(null),
});

export const flowDraftDoc = z.object({ type: z.literal("flow-draft"), flowId: id, graph: z.unknown() });

export const flowVersionDoc = z.object({
  type: z.literal("flow-version"),
  flowId: id,
  version: z.number().int().min(1),
  graph: z.unknown(),
});

export const manifestDoc = z.object({
  type: z.literal("manifest"),
  format: z.literal(FORMAT.format),
  version: z.literal(1),
});

export const configDocument = z.discriminatedUnion("type", [
  manifestDoc,
  definitionDoc,
  eventDoc,
  captureDoc,
  remoteDoc,
  bindingDoc,
  flowDoc,
  flowDraftDoc,
  flowVersionDoc,
]);
export type ConfigDocument = z.infer<typeof configDocument>;
export type DocumentType = ConfigDocument["type"];

/** One object's identity across instances: its type and id (a flow's draft and versions hang off the flow). */
export function documentKey(doc: ConfigDocument): string {
  switch (doc.type) {
    case "manifest":
      return "manifest";
    case "flow-draft":
      return `flow-draft:${doc.flowId}`;
    case "flow-version":
      return `flow-version:${doc.flowId}@${doc.version}`;
    default:
      return `${doc.type}:${doc.id}`;
  }
}

/** What a person calls the object in a plan line; `names` maps every object id to its name. */
export function documentLabel(doc: ConfigDocument, names: Map<string, string>): string {
  const name = (id: string) => `"${names.get(id) ?? id}"`;
  switch (doc.type) {
    case "manifest":
      return "manifest";
    case "flow-draft":
      return `draft of flow ${name(doc.flowId)}`;
    case "flow-version":
      return `v${doc.version} of flow ${name(doc.flowId)}`;
    case "flow-binding":
      return `${String(doc.direction ?? "")} flow record ${name(doc.processEventId)} / ${name(doc.remoteSystemId)}`;
    default:
      return `${doc.type} ${name(doc.id)}`;
  }
}

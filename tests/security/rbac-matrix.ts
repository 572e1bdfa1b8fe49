import type { Role } from "../../server/auth/roles";

// The expected access of every tRPC procedure and REST route (SPEC 1.3, server/api/access.ts,
// server/rest/access.ts). `admin` holds every role and is always allowed; `anonymous` never is,
// unless a route says `public`. A procedure or route missing here fails the RBAC test: decide
// who may call it, then add it with an input that reaches its role checks.

export type Who = Role | "anonymous";
export const everyone: readonly Who[] = [
  "admin",
  "sync_admin",
  "flow_designer",
  "sync_operator",
  "itil",
  "sync_api",
  "anonymous",
];

/** Ids of real records on the instance under test, for inputs that get past "not found". */
export interface Fixture {
  incident: string;
  flow: string;
  remote: string;
  definition: string;
  attachment: string;
  /** A sync_api user bound to `remote` as its inbound API user. */
  peerUser: string;
}

export interface ProcedureAccess {
  allow: readonly Role[] | "public";
  input?: (f: Fixture) => unknown;
}

const readers = ["itil", "sync_admin", "sync_operator", "flow_designer"] as const;
const writers = ["itil"] as const;
const syncAdmin = ["sync_admin"] as const;
const operators = ["sync_operator", "sync_admin"] as const;
const flowReaders = ["flow_designer", "sync_admin", "sync_operator"] as const;
const designers = ["flow_designer", "sync_admin"] as const;
const none = "00000000000000000000000000000000";

export const procedureMatrix: Record<string, ProcedureAccess> = {
  "records.tables": { allow: readers },
  "records.list": { allow: readers, input: () => ({ table: "incident" }) },
  "records.get": { allow: readers, input: (f) => ({ table: "incident", sysId: f.incident }) },
  // Writers pass with a valid input; the others are refused by the write check in the resolver.
  "records.create": {
    allow: writers,
    input: () => ({ table: "incident", values: { short_description: "rbac" } }),
  },
  "records.update": {
    allow: writers,
    input: (f) => ({ table: "incident", sysId: f.incident, values: { short_description: "rbac update" } }),
  },
  "records.delete": { allow: writers, input: () => ({ table: "incident", sysId: none }) },
  "records.addJournal": {
    allow: writers,
    input: (f) => ({ table: "incident", sysId: f.incident, element: "comments", value: "rbac" }),
  },
  "records.referenceSearch": { allow: readers, input: () => ({ table: "sys_user", text: "a" }) },
  "records.history": { allow: readers, input: (f) => ({ table: "incident", sysId: f.incident }) },
  "attachments.list": { allow: readers, input: (f) => ({ table: "incident", sysId: f.incident }) },
  "attachments.delete": { allow: readers, input: () => ({ sysId: none }) },
  "correlations.ofRecord": { allow: readers, input: (f) => ({ table: "incident", sysId: f.incident }) },
  "dashboard.summary": { allow: readers },
  "queues.list": { allow: operators, input: () => ({ queue: "inbound" }) },
  "queues.row": { allow: operators, input: () => ({ queue: "outbound", id: 999_999 }) },
  "queues.facets": { allow: operators, input: () => ({ queue: "outbound" }) },
  "queues.reprocess": { allow: operators, input: () => ({ queue: "inbound", ids: [999_999] }) },
  "queues.skip": { allow: operators, input: () => ({ queue: "inbound", ids: [999_999] }) },
  "flows.list": { allow: flowReaders },
  "flows.templates": { allow: flowReaders },
  "flows.get": { allow: flowReaders, input: (f) => ({ id: f.flow }) },
  "flows.create": { allow: designers, input: () => ({ graph: { not: "a graph" } }) },
  "flows.cloneTemplate": {
    allow: designers,
    input: () => ({ templateId: "no-such-template", name: "rbac" }),
  },
  "flows.saveDraft": { allow: designers, input: () => ({ id: "no-such-flow", graph: {} }) },
  "flows.publish": { allow: designers, input: () => ({ id: "no-such-flow" }) },
  "flows.versions": { allow: flowReaders, input: (f) => ({ id: f.flow }) },
  "flows.version": { allow: flowReaders, input: (f) => ({ id: f.flow, version: 1 }) },
  "flows.testRun": { allow: designers, input: () => ({ graph: {}, inputs: {} }) },
  "flows.inboundSamples": { allow: flowReaders, input: () => ({}) },
  "flows.executions": { allow: flowReaders, input: () => ({}) },
  "flows.execution": { allow: flowReaders, input: () => ({ id: "no-such-execution" }) },
  "flowStats.figures": { allow: flowReaders, input: (f) => ({ flowId: f.flow }) },
  // An empty folder plans nothing and applies nothing (tandem.json is missing): safe to call.
  "configAsCode.exportFiles": { allow: syncAdmin },
  "configAsCode.planImport": { allow: syncAdmin, input: () => ({ files: {} }) },
  "configAsCode.applyImport": { allow: syncAdmin, input: () => ({ files: {} }) },
  "alerts.list": { allow: readers },
  "tryDraft.run": {
    allow: [...designers, "sync_operator"],
    input: () => ({ queue: "inbound", id: 999_999 }),
  },
  // Publishing needs a designer and reprocessing an operator: only a sync admin holds both.
  "tryDraft.publishAndReprocess": {
    allow: syncAdmin,
    input: () => ({ flowId: "no-such-flow", queue: "inbound", ids: [999_999] }),
  },
  "syncConfig.overview": { allow: syncAdmin },
  "syncConfig.choices": { allow: syncAdmin },
  "syncConfig.createDefinition": { allow: syncAdmin, input: () => ({}) },
  "syncConfig.updateDefinition": {
    allow: syncAdmin,
    input: (f) => ({ id: f.definition, data: { name: "" } }),
  },
  "syncConfig.createEvent": { allow: syncAdmin, input: () => ({}) },
  "syncConfig.updateEvent": { allow: syncAdmin, input: () => ({ id: "no-such-event", data: {} }) },
  "syncConfig.createCapture": { allow: syncAdmin, input: () => ({}) },
  "syncConfig.updateCapture": { allow: syncAdmin, input: () => ({ id: "no-such-capture", data: {} }) },
  "syncConfig.createRemote": { allow: syncAdmin, input: () => ({}) },
  "syncConfig.updateRemote": { allow: syncAdmin, input: (f) => ({ id: f.remote, data: { name: "" } }) },
  "syncConfig.createBinding": { allow: syncAdmin, input: () => ({}) },
  "syncConfig.updateBinding": { allow: syncAdmin, input: () => ({ id: "no-such-binding", data: {} }) },
  "syncConfig.validateAndActivate": { allow: syncAdmin, input: () => ({ id: "no-such-remote" }) },
  "syncConfig.flowFromTemplate": {
    allow: syncAdmin,
    input: () => ({ templateId: "no-such-template", name: "x" }),
  },
  "syncConfig.createInvitation": { allow: syncAdmin },
  "syncConfig.setup": { allow: syncAdmin },
  "syncConfig.applyTemplateSet": {
    allow: syncAdmin,
    input: () => ({ remoteSystemId: "no-such-remote", set: "incident" }),
  },
  "initialSync.options": { allow: syncAdmin },
  "initialSync.list": { allow: syncAdmin },
  "initialSync.get": { allow: syncAdmin, input: () => ({ id: "no-such-job" }) },
  "initialSync.preview": {
    allow: syncAdmin,
    input: (f) => ({ definitionId: f.definition, remoteSystemId: "no-such-remote", condition: "" }),
  },
  "initialSync.start": {
    allow: syncAdmin,
    input: (f) => ({ definitionId: f.definition, remoteSystemId: "no-such-remote", mode: "create" }),
  },
  "initialSync.pause": { allow: syncAdmin, input: () => ({ id: "no-such-job" }) },
  "initialSync.resume": { allow: syncAdmin, input: () => ({ id: "no-such-job" }) },
  "initialSync.cancel": { allow: syncAdmin, input: () => ({ id: "no-such-job" }) },
  "syncConfig.acceptInvitation": { allow: syncAdmin, input: () => ({ token: "not-a-token" }) },
};

/** A REST route and method: who may call it, and the request that reaches its checks. */
export interface RouteAccess {
  allow: readonly Role[] | "public" | "peer" | "trpc";
  /** Path with fixture ids filled in; query string allowed. */
  path?: (f: Fixture) => string;
  body?: (f: Fixture) => string;
  contentType?: string;
}

const tableReaders = readers;

/**
 * Keyed by "METHOD /route" with route parameters as `:name`, as derived from app/ route files
 * and the patterns of server/rest/router.ts (under /api/now).
 */
export const routeMatrix: Record<string, RouteAccess> = {
  "GET /api/health": { allow: "public" },
  "GET /api/live": { allow: readers },
  // Without TANDEM_METRICS_TOKEN an admin or sync admin reads the scrape with their own login.
  "GET /metrics": { allow: syncAdmin },
  "GET /api/trpc/:trpc": { allow: "trpc" },
  "POST /api/trpc/:trpc": { allow: "trpc" },
  // Pairing is authenticated by the invitation's one-time secret, not by a user: strangers get
  // a 400 for a malformed request, and nothing is created without the secret.
  "POST /api/sync/v1/pair": { allow: "public", body: () => "{}" },
  "POST /api/sync/v1/pair/confirm": { allow: "public", body: () => "{}" },
  // The wire protocol: only a sync_api user that is some remote system's inbound API user.
  "POST /api/sync/v1/messages": { allow: "peer", body: () => JSON.stringify({ messages: [] }) },
  "POST /api/sync/v1/validate": { allow: "peer", body: () => JSON.stringify({}) },
  "POST /api/sync/v1/attachments/request": { allow: "peer", body: () => JSON.stringify({}) },
  "POST /api/sync/v1/attachments/complete": { allow: "peer", body: () => JSON.stringify({}) },
  "PUT /api/sync/v1/attachments/:key": { allow: "peer", path: () => "/api/sync/v1/attachments/not-a-key" },
  "POST /api/sync/v1/initial-sync/report": { allow: "peer", body: () => JSON.stringify({}) },
  "POST /api/sync/v1/template-sets/apply": { allow: "peer", body: () => JSON.stringify({}) },
  "POST /api/sync/v1/initial-sync/control": { allow: "peer", body: () => JSON.stringify({}) },
  "POST /logout": { allow: "public" },
  "GET /api/now/table/:table": { allow: tableReaders, path: () => "/api/now/table/incident?sysparm_limit=1" },
  "POST /api/now/table/:table": {
    allow: writers,
    path: () => "/api/now/table/incident",
    body: () => JSON.stringify({ short_description: "rbac rest" }),
  },
  "GET /api/now/table/:table/:sys_id": {
    allow: tableReaders,
    path: (f) => `/api/now/table/incident/${f.incident}`,
  },
  "PUT /api/now/table/:table/:sys_id": {
    allow: writers,
    path: (f) => `/api/now/table/incident/${f.incident}`,
    body: () => JSON.stringify({ short_description: "rbac put" }),
  },
  "PATCH /api/now/table/:table/:sys_id": {
    allow: writers,
    path: (f) => `/api/now/table/incident/${f.incident}`,
    body: () => JSON.stringify({ short_description: "rbac patch" }),
  },
  "DELETE /api/now/table/:table/:sys_id": { allow: writers, path: () => `/api/now/table/incident/${none}` },
  "GET /api/now/attachment": { allow: tableReaders, path: () => "/api/now/attachment?sysparm_limit=1" },
  "POST /api/now/attachment/file": {
    allow: writers,
    path: (f) => `/api/now/attachment/file?table_name=incident&table_sys_id=${f.incident}&file_name=rbac.txt`,
    body: () => "rbac",
    contentType: "text/plain",
  },
  "GET /api/now/attachment/:sys_id": {
    allow: tableReaders,
    path: (f) => `/api/now/attachment/${f.attachment}`,
  },
  "DELETE /api/now/attachment/:sys_id": {
    allow: writers,
    path: (f) => `/api/now/attachment/${f.attachment}`,
  },
  "GET /api/now/attachment/:sys_id/file": {
    allow: tableReaders,
    path: (f) => `/api/now/attachment/${f.attachment}/file`,
  },
};

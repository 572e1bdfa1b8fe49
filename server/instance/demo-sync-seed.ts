import { createHmac } from "node:crypto";
import { type CanvasGraph, getTemplate, literal, pill } from "../../flows";
import type { UserDirectory } from "../auth/users";
import type { RecordService } from "../records/record-service";
import type { Actor } from "../records/types";
import type { SyncEngine } from "./sync-engine";

// The demo's hardware-request scenario (SPEC 7), configured the same way on both instances from
// one pairing secret that `npm start` keeps in data/demo-pairing.json: ids, users and secrets are
// derived from it, so alpha and beta agree without talking to each other first.

export interface DemoPairing {
  /** This instance's and its peer's names, e.g. alpha / beta. */
  self: string;
  peer: string;
  peerUrl: string;
  secret: string;
}

const system: Actor = { userName: "system", origin: "system" };
export const demoEvent = "Hardware Request";

const derive = (secret: string, label: string) => createHmac("sha256", secret).update(label).digest();
const idFor = (secret: string, label: string) => derive(secret, label).subarray(0, 16).toString("hex");
const passwordFor = (secret: string, label: string) => derive(secret, label).toString("base64url");

/** What `self` uses to reach `peer` (the peer's inbound user, its password, the pair's signing secret). */
export function demoCredentials(secret: string, self: string, peer: string) {
  return {
    remoteId: idFor(secret, `remote:${self}->${peer}`),
    peerRemoteId: idFor(secret, `remote:${peer}->${self}`),
    user: `sync.${self}`,
    password: passwordFor(secret, `password:${peer}<-${self}`),
    signingSecret: `whsec_${derive(secret, `signing:${[self, peer].sort().join("|")}`).toString("base64")}`,
  };
}

/**
 * Reads the pairings from the environment (set by scripts/demo.mjs and the tests). Peers and their
 * URLs may be comma-separated lists of the same length (the fault suite links alpha to beta and gamma).
 */
export function demoPairingsFromEnv(self: string, env = process.env): DemoPairing[] {
  const secret = env.TANDEM_DEMO_PAIRING;
  const peers = (env.TANDEM_DEMO_PEER ?? "").split(",").filter(Boolean);
  const urls = (env.TANDEM_DEMO_PEER_URL ?? "").split(",").filter(Boolean);
  if (!secret || peers.length === 0 || peers.length !== urls.length) return [];
  return peers.map((peer, i) => ({ self, peer, peerUrl: urls[i] ?? "", secret }));
}

/** Creates the scenario once; later starts find it and change nothing. */
export async function seedDemoSync(deps: {
  sync: SyncEngine;
  records: RecordService;
  users: UserDirectory;
  pairing: DemoPairing;
}): Promise<void> {
  const { sync, records, users, pairing } = deps;
  const { self, peer, secret } = pairing;
  const mine = demoCredentials(secret, self, peer);
  const theirs = demoCredentials(secret, peer, self);
  const remoteId = mine.remoteId;
  if (sync.config.snapshot().remotesById.has(remoteId)) return;

  // The user the peer logs in as here, and the credential we use to log in there.
  const inboundUser = theirs.user;
  if (!(await users.findByName(inboundUser))) {
    await users.create(
      {
        user_name: inboundUser,
        name: `Sync from ${peer}`,
        roles: "sync_api",
        password: passwordFor(secret, `password:${self}<-${peer}`),
      },
      system,
    );
  }
  const inboundUserId = (await users.findByName(inboundUser))?.sys_id ?? null;
  const runAs = (await users.findByName("sync.admin"))?.sys_id ?? null;

  const errorFlow = await sync.flows.cloneTemplate("error-subflow", `Notify sync admins (${peer})`, "system");
  await sync.flows.publish(errorFlow.id, "system");
  const outboundGraph =
    self === "alpha" ? clone("outbound-basic", `Send hardware requests to ${peer}`) : updatesBackFlow();
  const outboundFlow = await sync.flows.create(outboundGraph, "system");
  await sync.flows.publish(outboundFlow.id, "system");
  const inboundFlow = await sync.flows.create(
    clone("inbound-basic", `Receive hardware requests from ${peer}`),
    "system",
  );
  await sync.flows.publish(inboundFlow.id, "system");

  // A second peer shares the definition, event and capture of the first (fan-out by bindings).
  const existing = sync.config.snapshot().eventsByName.get(demoEvent);
  const definition = existing
    ? { id: existing.definitionId }
    : await sync.config.createDefinition({
        name: "Hardware requests",
        description: "Incidents for the Hardware group travel to beta; resolutions come back.",
      });
  const event = existing ?? (await sync.config.createEvent({ definitionId: definition.id, name: demoEvent }));
  await sync.config.createRemote(
    {
      definitionId: definition.id,
      name: peer,
      description: `The ${peer} demo instance`,
      externalId: mine.peerRemoteId,
      baseUrl: pairing.peerUrl,
      outboundUser: mine.user,
      outboundSecret: mine.password,
      signingSecret: mine.signingSecret,
      inboundApiUserId: inboundUserId,
      runAsUserId: runAs,
      errorSubflowId: errorFlow.id,
      retryTimes: 3,
      retryIntervalMs: 1000,
      retryBackoff: "exponential",
    },
    remoteId,
  );
  const hardware = (await records.resolveReference("sys_user_group", "Hardware")) ?? "";
  if (!existing) await createDemoCapture();
  function createDemoCapture() {
    return sync.config.createCapture({
      definitionId: definition.id,
      processEventId: event.id,
      name: self === "alpha" ? "Hardware incidents" : "Work on incidents from alpha",
      sourceTable: "incident",
      operations: self === "alpha" ? ["create", "update"] : ["update"],
      filter:
        self === "alpha"
          ? {
              match: "all",
              groups: [
                {
                  match: "all",
                  conditions: [{ field: "assignment_group", operator: "is", value: hardware }],
                },
              ],
            }
          : // Every update that touches an included field, journal or attachment; the outbound flow
            // then sends only those of incidents that came from alpha (correlated ones).
            { match: "all", groups: [] },
      includeFields:
        self === "alpha"
          ? [
              "short_description",
              "description",
              "state",
              "impact",
              "urgency",
              "category",
              "assignment_group",
              "caller",
            ]
          : ["state", "resolved_by", "close_code", "close_notes"],
      includeJournal: ["comments", "work_notes"],
      includeAttachments: true,
    });
  }
  await sync.config.createBinding({
    direction: "outbound",
    definitionId: definition.id,
    processEventId: event.id,
    remoteSystemId: remoteId,
    flowId: outboundFlow.id,
  });
  await sync.config.createBinding({
    direction: "inbound",
    definitionId: definition.id,
    processEventId: event.id,
    remoteSystemId: remoteId,
    flowId: inboundFlow.id,
  });
}

function clone(templateId: string, name: string): CanvasGraph {
  const template = getTemplate(templateId);
  if (!template) throw new Error(`Missing template ${templateId}`);
  const { id: _id, ...graph } = structuredClone(template.graph);
  return { ...graph, name };
}

/** Beta sends back only work on incidents that came from alpha (correlated ones). */
function updatesBackFlow(): CanvasGraph {
  const graph = clone("outbound-basic", "Send updates back to alpha");
  graph.nodes.push(
    {
      id: "correlated",
      type: "if",
      typeVersion: 1,
      position: { x: 360, y: 160 },
      label: "Came from alpha?",
      config: { left: pill("steps.lookup.found"), operator: "is_true" },
    },
    {
      id: "end_skipped",
      type: "end",
      typeVersion: 1,
      position: { x: 600, y: 280 },
      label: "End (not from alpha)",
      config: { values: { status: literal("not correlated"), error_message: literal("") } },
    },
  );
  graph.edges = graph.edges.filter((e) => !(e.source === "lookup" && e.target === "send"));
  graph.edges.push(
    { id: "c1", source: "lookup", sourcePort: "next", target: "correlated" },
    { id: "c2", source: "correlated", sourcePort: "true", target: "send" },
    { id: "c3", source: "correlated", sourcePort: "false", target: "end_skipped" },
  );
  return graph;
}

import { hashPassword } from "../auth/password";
import { credentialPlans } from "../auth/users";
import { flowPlans } from "../flow-store/flow-store";
import type { Instance } from "../instance/instance";
import type { Actor } from "../records/types";
import { done, type Plan as StoragePlan } from "../storage";
import { RecordError } from "../util/errors";
import { newSysId } from "../util/ids";
import type { ConfigDocument, DocumentType } from "./documents";
import { type Located, type Plan, type PlannedChange, resolveFilter, type SecretsByRemote } from "./plan";

// Applies a plan in one transaction: every change or none. Removals go children first
// (flow records, captures, remote systems, events, flows, definitions), creations and changes
// parents first. Only the fields that differ are written, so an unchanged connection does not
// disable a remote system (the config store disables it when its connection changes).

const createOrder: DocumentType[] = [
  "sync-definition",
  "flow",
  "flow-draft",
  "flow-version",
  "process-event",
  "remote-system",
  "capture-definition",
  "flow-binding",
];
const removeOrder: DocumentType[] = [
  "flow-binding",
  "capture-definition",
  "remote-system",
  "process-event",
  "flow",
  "sync-definition",
];

type Fields = Record<string, unknown>;

export async function applyPlan(
  inst: Instance,
  plan: Plan,
  secrets: SecretsByRemote,
  actor: Actor,
): Promise<void> {
  if (plan.errors.length > 0)
    throw new RecordError(400, "The configuration cannot be imported", plan.errors.join("\n"));
  // Hashing is slow and asynchronous, so it happens before the transaction (a plan awaits nothing).
  const hashes = new Map<string, string>();
  for (const { doc } of plan.desired.values()) {
    if (doc.type !== "remote-system" || !doc.inboundApiUser) continue;
    const password = secrets[doc.name]?.inboundPassword;
    if (password && !(await inst.users.findByName(doc.inboundApiUser)))
      hashes.set(doc.inboundApiUser, await hashPassword(password));
  }
  const { config, flows } = inst.sync;
  try {
    await inst.storage.transaction(function* () {
      for (const type of removeOrder) {
        for (const change of plan.changes.filter((c) => c.action === "removed" && c.type === type))
          yield* remove(inst, change);
      }
      for (const [user, hash] of hashes)
        yield* inst.users.createWithHashPlan(
          { user_name: user, name: `Sync API user ${user}`, roles: "sync_api" },
          hash,
          actor,
        );
      for (const type of createOrder) {
        for (const change of plan.changes.filter((c) => c.action !== "removed" && c.type === type)) {
          const desired = plan.desired.get(change.key);
          if (desired)
            yield* write(inst, plan, change, desired, plan.current.get(change.key), secrets, actor);
        }
      }
    });
  } finally {
    // after the commit (or the rollback): every process reloads its configuration and flows
    flows.forgetCaches();
    await config.changed();
  }
}

function* remove(inst: Instance, change: PlannedChange): StoragePlan<void> {
  const id = change.key.slice(change.type.length + 1);
  const { config } = inst.sync;
  if (change.type === "flow-binding") yield* config.plans.deleteBinding(id);
  else if (change.type === "capture-definition") yield* config.plans.deleteCapture(id);
  else if (change.type === "remote-system") yield* config.plans.deleteRemote(id);
  else if (change.type === "process-event") yield* config.plans.deleteEvent(id);
  else if (change.type === "flow") yield* flowPlans.delete(id);
  else if (change.type === "sync-definition") yield* config.plans.deleteDefinition(id);
}

/** The fields of `doc` that differ from `before` (all of them for a new object), without type and id. */
function changedFields(doc: ConfigDocument, before: ConfigDocument | undefined): Fields {
  const { type: _t, id: _i, ...fields } = doc as ConfigDocument & { id?: string };
  if (!before) return fields;
  const old = before as unknown as Fields;
  return Object.fromEntries(
    Object.entries(fields).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(old[k])),
  );
}

function* write(
  inst: Instance,
  plan: Plan,
  change: PlannedChange,
  { doc }: Located,
  before: Located | undefined,
  secrets: SecretsByRemote,
  actor: Actor,
): StoragePlan<void> {
  const { config } = inst.sync;
  const creating = change.action === "created";
  const fields = changedFields(doc, before?.doc);
  switch (doc.type) {
    case "sync-definition":
      if (creating) yield* config.plans.createDefinition(fields, doc.id);
      else yield* config.plans.updateDefinition(doc.id, fields);
      return;
    case "process-event":
      if (creating) yield* config.plans.createEvent(fields, doc.id);
      else yield* config.plans.updateEvent(doc.id, fields);
      return;
    case "capture-definition": {
      if (fields.filter !== undefined)
        fields.filter = yield* resolveFilter(inst, String(doc.sourceTable), doc.filter, []);
      if (creating) yield* config.plans.createCapture(fields, doc.id);
      else yield* config.plans.updateCapture(doc.id, fields);
      return;
    }
    case "remote-system": {
      const { inboundApiUser, runAsUser, ...rest } = fields;
      const userId = (name: unknown) =>
        typeof name === "string" ? credentialPlans.userIdByName(name) : done(null);
      const input: Fields = { ...rest };
      if ("inboundApiUser" in fields) input.inboundApiUserId = yield* userId(inboundApiUser);
      if ("runAsUser" in fields) input.runAsUserId = yield* userId(runAsUser);
      if (creating) {
        const given = secrets[doc.name] ?? {};
        yield* config.plans.createRemote(
          { ...input, outboundSecret: given.outboundSecret, signingSecret: given.signingSecret },
          doc.id,
        );
      } else yield* config.plans.updateRemote(doc.id, input);
      return;
    }
    case "flow-binding":
      if (creating) yield* config.plans.createBinding(fields, doc.id);
      else yield* config.plans.updateBinding(doc.id, fields);
      return;
    case "flow": {
      // A flow's name, description and kind live in its draft: a new flow is made from it.
      if (!creating) return;
      const draft = plan.desired.get(`flow-draft:${doc.id}`)?.doc;
      yield* flowPlans.create(
        draft?.type === "flow-draft" ? draft.graph : null,
        actor.userName,
        { id: doc.id ?? newSysId(), ...(doc.templateId ? { templateId: doc.templateId } : {}) },
        Date.now(),
      );
      return;
    }
    case "flow-draft":
      // A new flow's draft went in with the flow.
      if (plan.current.has(`flow:${doc.flowId}`))
        yield* flowPlans.saveDraft(doc.flowId, doc.graph, actor.userName, Date.now());
      return;
    case "flow-version":
      yield* flowPlans.importVersion(doc.flowId, doc.version, doc.graph, actor.userName, Date.now());
      return;
    case "manifest":
      return;
  }
}

import { z } from "zod";
import { type CanvasGraph, getTemplate } from "../../flows";
import type { FlowStore } from "../flow-store/flow-store";
import { flowPlans } from "../flow-store/flow-store";
import type { Plan, Storage } from "../storage";
import type { RemoteSystemRow, SyncConfig } from "../sync/config-store";
import { RecordError } from "../util/errors";
import { newSysId } from "../util/ids";
import { TEMPLATE_SETS, type TemplateSet } from "./incident-set";

// Applies a template set to a pair in one action (issue 17): the admin picks a set for a remote
// system here; this instance asks the peer to apply its half (a signed call, so only the paired
// instance can), then applies its own. Each half is one transaction and is idempotent: asked
// again with the same event name it finds what it made and changes nothing, so an action
// retried after a lost answer completes instead of failing or doubling.

export const APPLY_PATH = "/api/sync/v1/template-sets/apply";

export const peerApplySchema = z.object({
  set: z.string().min(1).max(50),
  event: z.string().min(1).max(100),
  requested_by: z.string().max(200).default(""),
});
export const peerAnswerSchema = z.object({
  definition_id: z.string(),
  created: z.boolean(),
});

export interface AppliedSet {
  definitionId: string;
  definitionName: string;
  event: string;
  /** False when this side already had it (a retried action). */
  created: boolean;
}

export interface TemplateSetDeps {
  storage: Storage;
  config: SyncConfig;
  flows: FlowStore;
  /** This instance's name (the process event names the pair: "Incidents alpha ⇄ beta"). */
  instance: string;
  /** A signed call to the peer (SyncClient.call). */
  callRemote: (remoteId: string, path: string, body: unknown) => Promise<unknown>;
}

export class TemplateSets {
  constructor(private readonly deps: TemplateSetDeps) {}

  list(): Array<Pick<TemplateSet, "id" | "name" | "description">> {
    return TEMPLATE_SETS.map(({ id, name, description }) => ({ id, name, description }));
  }

  /** The set's event this remote is bound to, if the set was applied for it. */
  appliedFor(remoteId: string): { event: string; definitionId: string } | null {
    const snapshot = this.deps.config.snapshot();
    for (const binding of snapshot.bindingsById.values()) {
      if (binding.remoteSystemId !== remoteId || binding.direction !== "inbound") continue;
      const event = snapshot.eventsById.get(binding.processEventId);
      if (event && TEMPLATE_SETS.some((s) => event.name.startsWith(`${s.eventPrefix} `)))
        return { event: event.name, definitionId: event.definitionId };
    }
    return null;
  }

  /** The admin's action: the peer's half first (it can refuse), then this instance's. */
  async apply(remoteId: string, setId: string, requestedBy: string): Promise<AppliedSet> {
    const set = setOf(setId);
    const remote = this.deps.config.remote(remoteId);
    if (remote.outboundState !== "active" || remote.inboundState !== "active")
      throw new RecordError(
        409,
        `${remote.name} is not active`,
        remote.stateMessage
          ? `${remote.stateMessage}. Fix the cause, then use Validate and Activate on the remote system.`
          : "Use Validate and Activate on the remote system first.",
      );
    const applied = this.appliedFor(remoteId);
    if (!applied) this.refuseOverlap(remote, set);
    const event = applied?.event ?? this.eventName(set, remote);
    let answer: unknown;
    try {
      answer = await this.deps.callRemote(remoteId, APPLY_PATH, {
        set: set.id,
        event,
        requested_by: `${requestedBy} on ${this.deps.instance}`,
      });
    } catch (error) {
      throw new RecordError(
        409,
        `${remote.name} did not apply the template set`,
        `${error instanceof Error ? error.message : String(error)}. Nothing was changed here; try again.`,
      );
    }
    if (!peerAnswerSchema.safeParse(answer).success)
      throw new RecordError(409, `${remote.name} gave an answer that is not a template set outcome`, "");
    return this.install(remote, set, event, requestedBy);
  }

  /** The peer's half, asked by `remote` over the signed sync API. */
  async applyForPeer(remote: RemoteSystemRow, input: z.infer<typeof peerApplySchema>) {
    const set = setOf(input.set);
    if (!input.event.startsWith(`${set.eventPrefix} `))
      throw new RecordError(400, "Invalid process event name", `It must start with "${set.eventPrefix} "`);
    const applied = await this.install(remote, set, input.event, input.requested_by || remote.name);
    return { definition_id: applied.definitionId, created: applied.created };
  }

  /**
   * A second process on the same table with the same remote would send each record twice (once
   * per process event) and create it twice there: refused, naming the process already doing it.
   */
  private refuseOverlap(remote: RemoteSystemRow, set: TemplateSet): void {
    const snapshot = this.deps.config.snapshot();
    const table = set.capture.sourceTable;
    for (const binding of snapshot.bindingsById.values()) {
      if (binding.remoteSystemId !== remote.id || !binding.active) continue;
      const captures = snapshot.capturesByTable.get(table) ?? [];
      const event = snapshot.eventsById.get(binding.processEventId);
      if (event && captures.some((c) => c.processEventId === event.id))
        throw new RecordError(
          409,
          `${this.deps.instance} already syncs ${table} records with ${remote.name} through "${event.name}"`,
          "A second process on the same records would send each one twice. Deactivate that process's flow records first, or use the template set with another pair.",
        );
    }
  }

  /** "Incidents alpha ⇄ beta": the same on both sides, and free on this one (a suffix if not). */
  private eventName(set: TemplateSet, remote: RemoteSystemRow): string {
    const taken = this.deps.config.snapshot().eventsByName;
    const base = `${set.eventPrefix} ${this.deps.instance} ⇄ ${remote.name}`;
    if (!taken.has(base)) return base;
    for (let i = 2; ; i++) if (!taken.has(`${base} (${i})`)) return `${base} (${i})`;
  }

  private async install(
    remote: RemoteSystemRow,
    set: TemplateSet,
    eventName: string,
    user: string,
  ): Promise<AppliedSet> {
    const { config } = this.deps;
    const existing = config.snapshot().eventsByName.get(eventName);
    if (!existing) this.refuseOverlap(remote, set);
    if (existing) {
      const bound = [...config.snapshot().bindingsById.values()].some(
        (b) => b.processEventId === existing.id && b.remoteSystemId === remote.id,
      );
      if (!bound)
        throw new RecordError(
          409,
          `A process event named "${eventName}" exists on ${this.deps.instance} for another process`,
          "Rename it there, then apply the template set again",
        );
      const definition = (await config.listDefinitions()).find((d) => d.id === existing.definitionId);
      return {
        definitionId: existing.definitionId,
        definitionName: definition?.name ?? "",
        event: eventName,
        created: false,
      };
    }
    const definitions = new Set((await config.listDefinitions()).map((d) => d.name));
    const definitionName = unique(`${set.eventPrefix} with ${remote.name}`, definitions);
    const definitionId = newSysId();
    const flowIds = { error: newSysId(), outbound: newSysId(), inbound: newSysId() };
    const now = Date.now();
    try {
      await this.deps.storage.write(function* (): Plan<void> {
        yield* config.plans.createDefinition(
          { name: definitionName, description: `${set.name}, with ${remote.name}. ${set.description}` },
          definitionId,
        );
        const event = yield* config.plans.createEvent({ definitionId, name: eventName }, newSysId());
        const flows: Array<[string, string, string]> = [
          [flowIds.error, "error-subflow", `Notify sync admins (${remote.name})`],
          [flowIds.outbound, "outbound-basic", `Send ${set.eventPrefix.toLowerCase()} to ${remote.name}`],
          [flowIds.inbound, "inbound-basic", `Receive ${set.eventPrefix.toLowerCase()} from ${remote.name}`],
        ];
        for (const [id, templateId, name] of flows) {
          yield* flowPlans.create(fromTemplate(templateId, name), user, { id, templateId }, now);
          yield* flowPlans.publish(id, user, now);
        }
        yield* config.plans.createCapture(
          {
            definitionId,
            processEventId: event.id,
            name: `${set.eventPrefix} with ${remote.name}`,
            ...set.capture,
          },
          newSysId(),
        );
        for (const direction of ["outbound", "inbound"] as const)
          yield* config.plans.createBinding(
            {
              direction,
              definitionId,
              processEventId: event.id,
              remoteSystemId: remote.id,
              flowId: direction === "outbound" ? flowIds.outbound : flowIds.inbound,
            },
            newSysId(),
          );
        // Neither is part of the connection: the remote stays active.
        yield* config.plans.updateRemote(remote.id, {
          ...(remote.definitionId ? {} : { definitionId }),
          ...(remote.errorSubflowId ? {} : { errorSubflowId: flowIds.error }),
        });
      });
    } finally {
      this.deps.flows.forgetCaches();
      await config.changed();
    }
    return { definitionId, definitionName, event: eventName, created: true };
  }
}

function setOf(id: string): TemplateSet {
  const set = TEMPLATE_SETS.find((s) => s.id === id);
  if (!set)
    throw new RecordError(
      400,
      `No template set is called "${id}"`,
      `Choose one of: ${TEMPLATE_SETS.map((s) => s.id).join(", ")}`,
    );
  return set;
}

function fromTemplate(templateId: string, name: string): CanvasGraph {
  const template = getTemplate(templateId);
  if (!template) throw new Error(`Missing flow template ${templateId}`);
  const { id: _id, ...graph } = structuredClone(template.graph);
  return { ...graph, name };
}

function unique(base: string, taken: Set<string>): string {
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base} (${i})`)) return `${base} (${i})`;
}

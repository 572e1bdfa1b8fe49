import { flowPlans } from "../flow-store/flow-store";
import type { Instance } from "../instance/instance";
import { each, type Plan } from "../storage";
import type { FilterCondition } from "../sync/config-schemas";
import { type CaptureRow, toPublicRemote } from "../sync/config-store";
import { type ConfigDocument, FORMAT, type PortableCondition } from "./documents";
import { slug, stableStringify } from "./stable-json";

// Instance → documents. What is left out on purpose: secrets (never written to files), states and
// their messages (an instance's runtime, not its configuration), and timestamps (they would make
// every export differ).

/** Operators whose value names a record (a sys_id, or a comma list of them for one_of). */
export const REFERENCE_VALUE_OPERATORS = new Set(["is", "is_not", "one_of", "changes_to", "changes_from"]);

const volatile = new Set(["createdAt", "updatedAt"]);
const remoteRuntime = new Set([
  "outboundSecret",
  "signingSecret",
  "hasOutboundSecret",
  "hasSigningSecret",
  "outboundState",
  "inboundState",
  "stateMessage",
  "inboundApiUserId",
  "runAsUserId",
]);

function without(row: object, keys: Set<string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).filter(([k]) => !keys.has(k) && !volatile.has(k)));
}

export interface ExportedFile {
  path: string;
  doc: ConfigDocument;
}

/** Every configuration document, read in one go (one snapshot of the database on PostgreSQL). */
export function exportDocuments(inst: Instance): Promise<ExportedFile[]> {
  return inst.storage.transaction(() => exportPlan(inst));
}

function* exportPlan(inst: Instance): Plan<ExportedFile[]> {
  const { config } = inst.sync;
  const files: ExportedFile[] = [{ path: "tandem.json", doc: { type: "manifest", ...FORMAT } }];
  function* userName(id: string | null): Plan<string | null> {
    return id ? ((yield* inst.records.getPlan("sys_user", id))?.user_name ?? null) : null;
  }

  for (const d of yield* config.plans.listDefinitions()) {
    files.push({
      path: `sync-definitions/${slug(d.name, d.id)}.json`,
      doc: {
        type: "sync-definition",
        ...(without(d, volatile) as Omit<typeof d, "createdAt" | "updatedAt">),
      },
    });
  }
  for (const e of yield* config.plans.listEvents()) {
    files.push({
      path: `process-events/${slug(e.name, e.id)}.json`,
      doc: { type: "process-event", ...(without(e, volatile) as Omit<typeof e, "createdAt">) },
    });
  }
  for (const c of yield* config.plans.listCaptures()) {
    files.push({
      path: `capture-definitions/${slug(c.name, c.id)}.json`,
      doc: {
        type: "capture-definition",
        ...without(c, volatile),
        id: c.id,
        filter: yield* portableFilter(inst, c),
      },
    });
  }
  const remoteNames = new Map<string, string>();
  for (const r of (yield* config.plans.listRemotes()).map(toPublicRemote)) {
    remoteNames.set(r.id, r.name);
    files.push({
      path: `remote-systems/${slug(r.name, r.id)}.json`,
      doc: {
        type: "remote-system",
        ...without(r, remoteRuntime),
        id: r.id,
        name: r.name,
        inboundApiUser: yield* userName(r.inboundApiUserId),
        runAsUser: yield* userName(r.runAsUserId),
      },
    });
  }
  const eventNames = new Map((yield* config.plans.listEvents()).map((e) => [e.id, e.name]));
  for (const b of yield* config.plans.listBindings()) {
    const name = `${b.direction} ${eventNames.get(b.processEventId) ?? ""} ${remoteNames.get(b.remoteSystemId) ?? ""}`;
    files.push({
      path: `flow-bindings/${slug(name, b.id)}.json`,
      doc: {
        type: "flow-binding",
        ...without(b, volatile),
        id: b.id,
        processEventId: b.processEventId,
        remoteSystemId: b.remoteSystemId,
        flowId: b.flowId,
      },
    });
  }
  for (const f of yield* flowPlans.list()) {
    const folder = `flows/${slug(f.name, f.id)}`;
    files.push({
      path: `${folder}/flow.json`,
      doc: {
        type: "flow",
        id: f.id,
        name: f.name,
        description: f.description,
        kind: f.kind,
        templateId: f.templateId,
      },
    });
    files.push({ path: `${folder}/draft.json`, doc: { type: "flow-draft", flowId: f.id, graph: f.draft } });
    for (const v of yield* flowPlans.versions(f.id)) {
      files.push({
        path: `${folder}/v${v.version}.json`,
        doc: { type: "flow-version", flowId: f.id, version: v.version, graph: v.graph },
      });
    }
  }
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/** The export as file texts, path → content. */
export async function exportFiles(inst: Instance): Promise<Record<string, string>> {
  return Object.fromEntries((await exportDocuments(inst)).map((f) => [f.path, stableStringify(f.doc)]));
}

/**
 * Reference values (a group's sys_id) mean nothing on another instance: they are written by
 * display value ("Hardware") and resolved again on import. A value whose record is gone stays raw.
 */
function* portableFilter(inst: Instance, capture: CaptureRow) {
  const table = inst.registry.get(capture.sourceTable);
  function* convert(c: FilterCondition): Plan<PortableCondition> {
    const field = table?.fields.find((f) => f.name === c.field);
    if (!field?.reference || !REFERENCE_VALUE_OPERATORS.has(c.operator) || c.value === "") return c;
    const target = inst.registry.get(field.reference);
    if (!target) return c;
    const shown: string[] = [];
    for (const sysId of c.value.split(",")) {
      const display = (yield* inst.records.getPlan(field.reference, sysId.trim()))?.[target.displayField];
      if (!display) return c;
      shown.push(display);
    }
    return { ...c, value: shown.join(","), by: "display" as const };
  }
  const groups: Array<{ match: "all" | "any"; conditions: PortableCondition[] }> = [];
  for (const g of capture.filter.groups)
    groups.push({ match: g.match, conditions: yield* each(g.conditions, convert) });
  return { match: capture.filter.match, groups };
}

import { compileFlow, hasErrors, parseCanvas } from "../../flows";
import { credentialPlans } from "../auth/users";
import type { Instance } from "../instance/instance";
import { each, get, type Plan as StoragePlan, sql } from "../storage";
import {
  captureInput,
  type FilterCondition,
  flowBindingInput,
  remoteSystemInput,
} from "../sync/config-schemas";
import { diffValues, type FieldDiff } from "./diff";
import {
  type ConfigDocument,
  configDocument,
  type DocumentType,
  documentKey,
  documentLabel,
  type PortableCondition,
} from "./documents";
import { exportDocuments, REFERENCE_VALUE_OPERATORS } from "./export";

// Files → what would change on this instance, and every reason the files cannot be applied. The
// plan is computed in full before anything is written, so a refused import changes nothing.

export interface PlannedChange {
  action: "created" | "changed" | "removed";
  type: DocumentType;
  key: string;
  label: string;
  path: string;
  fields: FieldDiff[];
}

/** Secrets of one remote system, by its name; never part of the files. */
export interface RemoteSecrets {
  outboundSecret?: string;
  signingSecret?: string;
  /** Password of the inbound API user, when the import must create that user. */
  inboundPassword?: string;
}
export type SecretsByRemote = Record<string, RemoteSecrets>;

export interface SecretNeed {
  remote: string;
  missing: Array<keyof RemoteSecrets>;
}

export interface Located<T extends ConfigDocument = ConfigDocument> {
  path: string;
  doc: T;
}

export interface Plan {
  changes: PlannedChange[];
  errors: string[];
  warnings: string[];
  /** Secrets the import still lacks (the CLI asks for them or reads them from the environment). */
  needsSecrets: SecretNeed[];
  desired: Map<string, Located>;
  current: Map<string, Located>;
}

type DocOf<T extends DocumentType> = Extract<ConfigDocument, { type: T }>;

export function parseFiles(files: Record<string, string>): { docs: Map<string, Located>; errors: string[] } {
  const docs = new Map<string, Located>();
  const errors: string[] = [];
  for (const path of Object.keys(files).sort()) {
    let raw: unknown;
    try {
      raw = JSON.parse(files[path] ?? "");
    } catch (error) {
      errors.push(`${path}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
      continue;
    }
    const parsed = configDocument.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      errors.push(`${path}: ${issue?.path.join(".") || "document"}: ${issue?.message ?? "invalid"}`);
      continue;
    }
    const key = documentKey(parsed.data);
    const seen = docs.get(key);
    if (seen) {
      errors.push(`${path}: the same object (${key}) is also in ${seen.path}`);
      continue;
    }
    docs.set(key, { path, doc: parsed.data });
  }
  if (!docs.has("manifest") && errors.length === 0)
    errors.push("tandem.json is missing: this folder is not an exported Tandem configuration");
  return { docs, errors };
}

function ofType<T extends DocumentType>(docs: Map<string, Located>, type: T): Array<Located<DocOf<T>>> {
  return [...docs.values()].filter((d): d is Located<DocOf<T>> => d.doc.type === type);
}

export async function planImport(
  inst: Instance,
  files: Record<string, string>,
  secrets: SecretsByRemote = {},
): Promise<Plan> {
  const { docs: desired, errors } = parseFiles(files);
  const current = new Map((await exportDocuments(inst)).map((f) => [documentKey(f.doc), f]));
  const plan: Plan = { changes: [], errors, warnings: [], needsSecrets: [], desired, current };
  if (errors.length > 0) return plan;

  const names = new Map<string, string>();
  for (const { doc } of [...current.values(), ...desired.values()])
    if ("id" in doc && "name" in doc) names.set(doc.id, String(doc.name));
  for (const [key, d] of desired) {
    if (key === "manifest") continue;
    const before = current.get(key);
    if (!before) {
      plan.changes.push({
        action: "created",
        type: d.doc.type,
        key,
        label: documentLabel(d.doc, names),
        path: d.path,
        fields: [],
      });
      continue;
    }
    const fields = diffValues(before.doc, d.doc);
    if (fields.length > 0)
      plan.changes.push({
        action: "changed",
        type: d.doc.type,
        key,
        label: documentLabel(d.doc, names),
        path: d.path,
        fields,
      });
  }
  for (const [key, c] of current) {
    if (!desired.has(key))
      plan.changes.push({
        action: "removed",
        type: c.doc.type,
        key,
        label: documentLabel(c.doc, names),
        path: c.path,
        fields: [],
      });
  }
  await inst.storage.read(validate(inst, plan, secrets));
  return plan;
}

/** Resolves display values of reference conditions back to this instance's sys_ids. */
export function* resolveFilter(
  inst: Instance,
  sourceTable: string,
  filter: DocOf<"capture-definition">["filter"],
  problems: string[],
): StoragePlan<{
  match: "all" | "any";
  groups: Array<{ match: "all" | "any"; conditions: FilterCondition[] }>;
}> {
  const table = inst.registry.get(sourceTable);
  function* resolve(c: PortableCondition): StoragePlan<FilterCondition> {
    const { by, ...rest } = c;
    const condition = rest as FilterCondition;
    if (by !== "display") return condition;
    const field = table?.fields.find((f) => f.name === c.field);
    if (!field?.reference || !REFERENCE_VALUE_OPERATORS.has(c.operator)) {
      problems.push(
        `condition on ${c.field} is given by display value, but ${c.field} is not a reference field`,
      );
      return condition;
    }
    const ids: string[] = [];
    for (const display of c.value.split(",")) {
      const found = yield* inst.records.resolveReferencePlan(field.reference ?? "", display.trim());
      if (!found)
        problems.push(
          `no ${field.reference} record "${display.trim()}" exists here (condition on ${c.field})`,
        );
      ids.push(found ?? "");
    }
    return { ...condition, value: ids.join(",") };
  }
  const groups: Array<{ match: "all" | "any"; conditions: FilterCondition[] }> = [];
  for (const g of filter.groups)
    groups.push({ match: g.match, conditions: yield* each(g.conditions, resolve) });
  return { match: filter.match, groups };
}

const remoteReferences = sql<{ n: number }>(
  "SELECT (SELECT count(*) FROM outbound_queue WHERE remote_system_id = ?) + (SELECT count(*) FROM inbound_queue WHERE remote_system_id = ?) + (SELECT count(*) FROM correlation WHERE remote_system_id = ?) AS n",
);

function* validate(inst: Instance, plan: Plan, secrets: SecretsByRemote): StoragePlan<void> {
  const { desired, current, errors } = plan;
  const has = (type: DocumentType, id: string | null | undefined) => !!id && desired.has(`${type}:${id}`);
  const created = new Set(plan.changes.filter((c) => c.action === "created").map((c) => c.key));
  function* userExists(name: string): StoragePlan<boolean> {
    return (yield* credentialPlans.userIdByName(name)) !== null;
  }

  const unique = (type: DocumentType, what: string) => {
    const seen = new Map<string, string>();
    for (const { path, doc } of ofType(desired, type)) {
      const name = String((doc as { name?: unknown }).name ?? "");
      const other = seen.get(name);
      if (other) errors.push(`${path}: another ${what} is also named "${name}" (${other})`);
      seen.set(name, path);
    }
  };
  unique("sync-definition", "process sync definition");
  unique("process-event", "process event");
  unique("remote-system", "remote system");

  for (const { path, doc } of ofType(desired, "process-event")) {
    if (!has("sync-definition", doc.definitionId))
      errors.push(`${path}: its process sync definition ${doc.definitionId} is not in the folder`);
  }
  for (const { path, doc } of ofType(desired, "capture-definition")) {
    const problems: string[] = [];
    const sourceTable = String(doc.sourceTable ?? "");
    if (!inst.registry.get(sourceTable)) problems.push(`table "${sourceTable}" does not exist here`);
    if (!has("sync-definition", String(doc.definitionId)))
      problems.push(`its process sync definition is not in the folder`);
    if (!has("process-event", String(doc.processEventId)))
      problems.push(`its process event is not in the folder`);
    const filter = yield* resolveFilter(inst, sourceTable, doc.filter, problems);
    const { type: _t, id: _i, ...fields } = doc;
    const parsed = captureInput.safeParse({ ...fields, filter });
    if (!parsed.success) problems.push(zodProblem(parsed.error));
    for (const p of problems) errors.push(`${path}: ${p}`);
  }
  for (const { path, doc } of ofType(desired, "remote-system")) {
    const problems: string[] = [];
    const { type: _t, id: _i, inboundApiUser, runAsUser, ...fields } = doc;
    const parsed = remoteSystemInput.safeParse(fields);
    if (!parsed.success) problems.push(zodProblem(parsed.error));
    if (parsed.success && parsed.data.definitionId && !has("sync-definition", parsed.data.definitionId))
      problems.push("its process sync definition is not in the folder");
    if (parsed.success && parsed.data.errorSubflowId && !has("flow", parsed.data.errorSubflowId))
      problems.push(`its error subflow ${parsed.data.errorSubflowId} is not in the folder`);
    if (runAsUser && !(yield* userExists(runAsUser)))
      problems.push(`run-as user "${runAsUser}" does not exist here`);
    const given = secrets[doc.name] ?? {};
    if (inboundApiUser && !(yield* userExists(inboundApiUser)) && !given.inboundPassword)
      problems.push(
        `inbound API user "${inboundApiUser}" does not exist here: create it, or give its password (${secretVariable(doc.name, "inboundPassword")}) and the import creates it`,
      );
    for (const p of problems) errors.push(`${path}: ${p}`);
    if (created.has(documentKey(doc))) {
      const missing = (["outboundSecret", "signingSecret"] as const).filter((k) => !given[k]);
      if (missing.length > 0) {
        plan.needsSecrets.push({ remote: doc.name, missing });
        plan.warnings.push(
          `remote system "${doc.name}" is created without ${missing.join(" and ")}: set ${missing.map((m) => secretVariable(doc.name, m)).join(", ")} or enter them in the UI before Validate and Activate`,
        );
      }
    }
  }
  const bindingKeys = new Map<string, string>();
  for (const { path, doc } of ofType(desired, "flow-binding")) {
    const { type: _t, id: _i, ...fields } = doc;
    const parsed = flowBindingInput.safeParse(fields);
    if (!parsed.success) {
      errors.push(`${path}: ${zodProblem(parsed.error)}`);
      continue;
    }
    const b = parsed.data;
    if (!has("process-event", b.processEventId))
      errors.push(`${path}: its process event is not in the folder`);
    if (!has("remote-system", b.remoteSystemId))
      errors.push(`${path}: its remote system is not in the folder`);
    const flow = desired.get(`flow:${b.flowId}`)?.doc;
    if (!flow) errors.push(`${path}: its flow ${b.flowId} is not in the folder`);
    else if (flow.type === "flow" && flow.kind !== b.direction)
      errors.push(
        `${path}: an ${b.direction} flow record needs an ${b.direction} flow, and "${flow.name}" is ${flow.kind}`,
      );
    const k = `${b.direction}:${b.processEventId}:${b.remoteSystemId}`;
    const other = bindingKeys.get(k);
    if (other) errors.push(`${path}: binds the same event and remote system as ${other}`);
    bindingKeys.set(k, path);
  }
  validateFlows(plan);
  for (const change of plan.changes.filter((c) => c.action === "removed" && c.type === "remote-system")) {
    const id = change.key.slice("remote-system:".length);
    const refs = Number((yield* get(remoteReferences, id, id, id))?.n ?? 0);
    if (refs > 0)
      errors.push(
        `${change.path}: remote system ${change.label} has ${refs} queue rows and correlations here and cannot be removed; keep it in the folder`,
      );
  }
  void current;
}

function validateFlows(plan: Plan): void {
  const { desired, current, errors } = plan;
  for (const { path, doc } of ofType(desired, "flow")) {
    const draft = desired.get(`flow-draft:${doc.id}`);
    if (!draft) {
      errors.push(`${path}: the flow's draft.json is missing`);
      continue;
    }
    const parsed = parseCanvas(draft.doc.type === "flow-draft" ? draft.doc.graph : null);
    if (!parsed.graph) {
      errors.push(`${draft.path}: not a flow graph: ${parsed.diagnostics.map((d) => d.message).join(" ")}`);
      continue;
    }
    for (const field of ["name", "kind"] as const) {
      if (parsed.graph[field] !== doc[field])
        errors.push(
          `${path}: ${field} "${doc[field]}" differs from the draft's "${parsed.graph[field]}" (the draft's ${field} is the flow's)`,
        );
    }
  }
  for (const { path, doc } of [...ofType(desired, "flow-draft"), ...ofType(desired, "flow-version")]) {
    if (!desired.has(`flow:${doc.flowId}`))
      errors.push(`${path}: its flow ${doc.flowId} has no flow.json in the folder`);
  }
  const versionsOf = new Map<string, number[]>();
  for (const { path, doc } of ofType(desired, "flow-version")) {
    versionsOf.set(doc.flowId, [...(versionsOf.get(doc.flowId) ?? []), doc.version]);
    const key = documentKey(doc);
    const before = current.get(key);
    if (before) {
      if (diffValues(before.doc, doc).length > 0)
        errors.push(
          `${path}: published versions never change, and v${doc.version} here differs; publish the change as a new version`,
        );
      continue;
    }
    const result = compileFlow(doc.graph);
    if (!result.dag || hasErrors(result.diagnostics)) {
      const messages = result.diagnostics.filter((d) => d.severity === "error").map((d) => d.message);
      errors.push(`${path}: v${doc.version} does not compile: ${messages.slice(0, 5).join(" ")}`);
    }
  }
  for (const [flowId, versions] of versionsOf) {
    const sorted = [...versions].sort((a, b) => a - b);
    if (sorted.some((v, i) => v !== i + 1))
      errors.push(`flow ${flowId}: versions must run 1..N without gaps (found ${sorted.join(", ")})`);
  }
  for (const { path, doc } of ofType(current, "flow-version")) {
    if (desired.has(`flow:${doc.flowId}`) && !desired.has(documentKey(doc)))
      errors.push(
        `${path}: v${doc.version} is published here and missing from the folder; published versions cannot be removed`,
      );
  }
}

function zodProblem(error: { issues: Array<{ path: PropertyKey[]; message: string }> }): string {
  const issue = error.issues[0];
  return `${issue?.path.map(String).join(".") || "value"}: ${issue?.message ?? "invalid"}`;
}

/** The environment variable that carries one secret of a remote system, e.g. TANDEM_REMOTE_BETA_PASSWORD. */
export function secretVariable(remoteName: string, secret: keyof RemoteSecrets): string {
  const suffix = {
    outboundSecret: "PASSWORD",
    signingSecret: "SIGNING_SECRET",
    inboundPassword: "INBOUND_PASSWORD",
  }[secret];
  return `TANDEM_REMOTE_${remoteName.toUpperCase().replace(/[^A-Z0-9]+/g, "_")}_${suffix}`;
}

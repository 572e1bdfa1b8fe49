import {
  compileFlow,
  type Diagnostic,
  hasErrors,
  NODE_TYPES,
  type RunResult,
  runFlow,
  type StepRecord,
} from "../../../flows";
import type { FlowStore } from "../../flow-store/flow-store";
import type { InboundRow } from "../../queue/inbound/store";
import type { QueueName, QueueOperations } from "../../queue/operations";
import type { OutboundRow } from "../../queue/outbound/store";
import { all, get, type Query, type Storage, sql } from "../../storage";
import type { SyncConfig } from "../../sync/config-store";
import { RecordError } from "../../util/errors";
import { newSysId } from "../../util/ids";
import type { ExecutionWriter } from "../execution-writer";
import type { PortDeps } from "../ports";
import type { RunScope } from "../ports/scope";
import { type FlowRunner, inboundInputs, inboundRunKey, outboundInputs } from "../runner";
import { type DryEffect, dryRunPorts } from "./dry-ports";

// "Try with draft" (issue 15): the draft of a queue row's flow runs on the row's real inputs
// against the dry-run ports, beside what the published version did in its last run of the row
// (read from that run's execution journal). "Publish and reprocess" then publishes the draft and
// reprocesses the row — or every row whose last run failed at the same node.

export interface JournalEffect {
  nodeId: string;
  type: string;
  status: "completed" | "error";
  /** The resolved configuration the step ran with: the values it wrote, the message it sent… */
  inputs?: unknown;
  error?: string;
}

export interface TryResult {
  flowId: string;
  flowName: string;
  queue: QueueName;
  rowId: number;
  diagnostics: Diagnostic[];
  /** Null when the draft does not compile. */
  run: RunResult | null;
  effects: DryEffect[];
  published: {
    version: number;
    executionId: string;
    status: string;
    error: string | null;
    failedNodeId: string | null;
    effects: JournalEffect[];
  } | null;
  /** Why `published` is null, in words. */
  publishedNote: string | null;
  /** Rows (this one included) whose last run failed at the same node of the same flow. */
  sameFailure: { nodeId: string | null; ids: number[] };
}

export interface TryDeps {
  storage: Storage;
  flows: FlowStore;
  config: SyncConfig;
  runner: FlowRunner;
  executions: ExecutionWriter;
  queues: QueueOperations;
  ports: Omit<PortDeps, "callSubflow">;
}

const DRY_RUN_TIMEOUT_MS = 10_000;

const Q = {
  outboundRow: sql<OutboundRow>("SELECT * FROM outbound_queue WHERE id = ?"),
  inboundRow: sql<InboundRow>("SELECT * FROM inbound_queue WHERE sequence = ?"),
  lastExecution: sql<{ id: string; version: number; status: string; error: string | null }>(
    "SELECT id, version, status, error FROM flow_execution WHERE queue = ? AND queue_row_id = ? ORDER BY started_at DESC LIMIT 1",
  ),
  failed: (table: string, key: string): Query<{ id: number; e: string }> =>
    sql(
      `SELECT q.${key} AS id, q.flow_execution_id AS e FROM ${table} q JOIN flow_execution f ON f.id = q.flow_execution_id
       WHERE q.status = 'error' AND f.flow_id = ? ORDER BY q.${key} LIMIT 1000`,
    ),
};
const failedOutbound = Q.failed("outbound_queue", "id");
const failedInbound = Q.failed("inbound_queue", "sequence");
const sideEffectTypes = new Set(NODE_TYPES.filter((t) => t.sideEffects).map((t) => t.id));

interface LoadedRow {
  flowId: string;
  inputs: Record<string, unknown>;
  runKey: string;
  previousExecutionId: string | null;
  scope: Omit<RunScope, "executionId" | "flowId" | "warnings" | "keysUsed">;
}

export class TryWithDraft {
  constructor(private readonly deps: TryDeps) {}

  async run(queue: QueueName, rowId: number): Promise<TryResult> {
    const row = await this.load(queue, rowId);
    const flow = await this.deps.flows.get(row.flowId);
    const compiled = compileFlow(flow.draft);
    const last = await this.lastExecution(queue, rowId);
    const published = last ? { ...last, effects: journalEffects(last.steps) } : null;
    const base = {
      flowId: flow.id,
      flowName: flow.name,
      queue,
      rowId,
      diagnostics: compiled.diagnostics,
      published: published
        ? {
            version: published.version,
            executionId: published.id,
            status: published.status,
            error: published.error,
            failedNodeId: published.failedNodeId,
            effects: published.effects,
          }
        : null,
      publishedNote: published
        ? null
        : "No execution of this row is kept (it never ran, or its journal was purged).",
      sameFailure: {
        nodeId: published?.failedNodeId ?? null,
        ids: published?.failedNodeId ? await this.failedAt(queue, flow.id, published.failedNodeId) : [rowId],
      },
    };
    if (!compiled.dag || hasErrors(compiled.diagnostics)) return { ...base, run: null, effects: [] };
    const scope: RunScope = {
      executionId: `dry-${newSysId()}`,
      flowId: flow.id,
      warnings: [],
      keysUsed: [],
      ...row.scope,
    };
    const { ports, effects } = dryRunPorts({ ...this.deps.ports, callSubflow: async () => ({}) }, scope);
    // As a reprocess would: side effects the row's last run already made are replayed from its
    // journal, not made again (SPEC 4.5), so the dry run shows what reprocessing would still do.
    const journal = row.previousExecutionId
      ? await this.deps.executions.steps(row.previousExecutionId)
      : undefined;
    const run = await runFlow(compiled.dag, row.inputs, {
      ports,
      ...(journal ? { journal } : {}),
      runKey: row.runKey,
      runAs: scope.runAs,
      ...(scope.originRemote ? { originRemoteSystem: scope.originRemote } : {}),
      flowTimeoutMs: DRY_RUN_TIMEOUT_MS,
    });
    return { ...base, run, effects };
  }

  /** The flow a queue row runs (its binding's), for "Try with draft" links. */
  async flowOf(queue: QueueName, rowId: number): Promise<string> {
    return (await this.load(queue, rowId)).flowId;
  }

  /** Publishes the draft (refused while it has errors) and reprocesses the rows with the new version. */
  async publishAndReprocess(flowId: string, queue: QueueName, ids: number[], user: string) {
    const version = await this.deps.flows.publish(flowId, user);
    const result = await this.deps.queues.reprocessRows(queue, ids, user);
    return { version: version.version, ...result };
  }

  private async load(queue: QueueName, id: number): Promise<LoadedRow> {
    const storage = this.deps.storage;
    const snapshot = this.deps.config.snapshot();
    if (queue === "outbound") {
      const row = await storage.read(get(Q.outboundRow, id));
      if (!row) throw notFound(queue, id);
      const binding = snapshot.bindingsById.get(row.flow_binding_id);
      if (!binding) throw tryError(`The outbound flow record of row ${id} no longer exists`);
      return {
        flowId: binding.flowId,
        inputs: outboundInputs(row),
        runKey: row.message_id,
        previousExecutionId: row.flow_execution_id,
        scope: { runAs: "system" },
      };
    }
    const row = await storage.read(get(Q.inboundRow, id));
    if (!row) throw notFound(queue, id);
    const event = snapshot.eventsByName.get(row.process_event);
    const binding = event ? snapshot.inboundByKey.get(`${event.id}:${row.remote_system_id}`) : undefined;
    if (!binding)
      throw tryError(`No inbound flow is bound to process event "${row.process_event}" from this remote`);
    const { inputs, fieldClocks } = inboundInputs(row);
    return {
      flowId: binding.flowId,
      inputs,
      runKey: inboundRunKey(row),
      previousExecutionId: row.flow_execution_id,
      scope: {
        runAs: await this.deps.runner.inboundRunAs(row.remote_system_id),
        originRemote: row.remote_system_id,
        fieldClocks,
      },
    };
  }

  private async lastExecution(queue: QueueName, rowId: number) {
    const e = await this.deps.storage.read(get(Q.lastExecution, queue, rowId));
    if (!e) return null;
    const steps = (await this.deps.executions.steps(e.id)) ?? [];
    return { ...e, steps, failedNodeId: steps.find((s) => s.status === "error")?.nodeId ?? null };
  }

  /** Rows in error whose last run of this flow failed at this node. */
  private async failedAt(queue: QueueName, flowId: string, nodeId: string): Promise<number[]> {
    const rows = await this.deps.storage.read(
      all(queue === "outbound" ? failedOutbound : failedInbound, flowId),
    );
    const failed = await Promise.all(
      rows.map(async (r) =>
        ((await this.deps.executions.steps(r.e)) ?? []).some(
          (s) => s.status === "error" && s.nodeId === nodeId,
        ),
      ),
    );
    return rows.filter((_, i) => failed[i]).map((r) => r.id);
  }
}

/** The side-effecting steps of a journal: what the run wrote, sent or emailed (or tried to). */
export function journalEffects(steps: readonly StepRecord[]): JournalEffect[] {
  return steps
    .filter((s) => sideEffectTypes.has(s.type))
    .map((s) => ({
      nodeId: s.nodeId,
      type: s.type,
      status: s.status,
      inputs: s.inputs,
      ...(s.error ? { error: s.error.message } : {}),
    }));
}

function tryError(detail: string): RecordError {
  return new RecordError(400, "Cannot try this row with the draft", detail);
}

function notFound(queue: QueueName, id: number): RecordError {
  return tryError(`No ${queue} row ${id} (purged after its retention?)`);
}

import { type RunResult, runFlow } from "../../flows";
import type { FieldClock } from "../capture/field-clocks";
import type { FlowStore, PublishedFlow } from "../flow-store/flow-store";
import type { Logger } from "../log/logger";
import { FlowMetrics, tracingStepObserver } from "../observability/flow-observer";
import { metrics } from "../observability/metrics";
import {
  type Context,
  contextOf,
  inSpan,
  parseStoredTraceContext,
  tracingOn,
} from "../observability/tracing";
import type { InboundRow } from "../queue/inbound/store";
import type { InboundOutcome } from "../queue/inbound/worker";
import type { OutboundRow } from "../queue/outbound/store";
import type { RunOutcome } from "../queue/outbound/worker";
import { decodePayload } from "../queue/payload-codec";
import type { RecordService } from "../records/record-service";
import type { SyncConfig } from "../sync/config-store";
import { newSysId } from "../util/ids";
import type { ExecutionRecord, ExecutionWriter } from "./execution-writer";
import { type PortDeps, serverPorts } from "./ports";
import type { RunScope } from "./ports/scope";

export interface RunnerDeps {
  flows: FlowStore;
  config: SyncConfig;
  records: RecordService;
  executions: ExecutionWriter;
  logger: Logger;
  ports: Omit<PortDeps, "callSubflow">;
  flowTimeoutMs?: number;
}

/** What a run leaves beside its result: its execution, warnings and the idempotency keys it used. */
type RunScopeResult = { executionId: string } & Pick<RunScope, "warnings" | "keysUsed">;

interface RunRequest {
  flow: PublishedFlow;
  inputs: Record<string, unknown>;
  queue: ExecutionRecord["queue"];
  queueRowId: number | null;
  runKey: string;
  runAs: string;
  originRemote?: string;
  fieldClocks?: Map<string, FieldClock>;
  previousExecutionId?: string | null;
  /** The trace this run continues (the queue row's stored context); the active context otherwise. */
  parent?: Context;
}

/** Runs the published flow bound to a queue row (SPEC 3.2, 3.4) and records its execution. */
export class FlowRunner {
  private readonly portDeps: PortDeps;
  private readonly userNames = new Map<string, string>();
  private readonly flowMetrics = new FlowMetrics(metrics());

  constructor(private readonly deps: RunnerDeps) {
    this.portDeps = {
      ...deps.ports,
      callSubflow: (flow, inputs, key, scope) => this.callSubflow(flow, inputs, key, scope),
    };
  }

  async runOutbound(row: OutboundRow): Promise<RunOutcome> {
    const binding = this.deps.config.snapshot().bindingsById.get(row.flow_binding_id);
    if (!binding)
      return {
        kind: "data",
        error: `The outbound flow record of row ${row.id} no longer exists`,
        executionId: null,
        flowVersion: null,
      };
    let flow: PublishedFlow;
    try {
      flow = await this.deps.flows.published(binding.flowId, row.flow_version);
    } catch (error) {
      return {
        kind: "data",
        error: error instanceof Error ? error.message : String(error),
        executionId: null,
        flowVersion: null,
      };
    }
    const result = await this.run({
      flow,
      inputs: outboundInputs(row),
      queue: "outbound",
      queueRowId: row.id,
      runKey: row.message_id,
      runAs: "system",
      previousExecutionId: row.flow_execution_id,
      ...(tracingOn() ? { parent: contextOf(parseStoredTraceContext(row.trace_context)) } : {}),
    });
    const base = { executionId: result.executionId, flowVersion: flow.version };
    if (result.status === "completed") return { kind: "processed", ...base };
    const message = result.error?.message ?? `The flow ended ${result.status}`;
    if (result.error?.retriable) return { kind: "connection", error: message, ...base };
    return { kind: "data", error: message, ...base };
  }

  async runInbound(row: InboundRow): Promise<InboundOutcome> {
    const snapshot = this.deps.config.snapshot();
    const remote = snapshot.remotesById.get(row.remote_system_id);
    const event = snapshot.eventsByName.get(row.process_event);
    const binding = event ? snapshot.inboundByKey.get(`${event.id}:${row.remote_system_id}`) : undefined;
    if (!remote || !binding) {
      return {
        kind: "error",
        error: `No inbound flow is bound to process event "${row.process_event}" from remote system "${remote?.name ?? row.remote_system_id}". Bind one (an active inbound flow record), then reprocess this row.`,
        executionId: null,
      };
    }
    let flow: PublishedFlow;
    try {
      flow = await this.deps.flows.published(binding.flowId);
    } catch (error) {
      return {
        kind: "error",
        error: error instanceof Error ? error.message : String(error),
        executionId: null,
      };
    }
    const { inputs, fieldClocks } = inboundInputs(row);
    const result = await this.run({
      flow,
      inputs,
      queue: "inbound",
      queueRowId: row.sequence,
      runKey: inboundRunKey(row),
      runAs: await this.inboundRunAs(remote.id),
      originRemote: remote.id,
      fieldClocks,
      previousExecutionId: row.flow_execution_id,
      ...(tracingOn() ? { parent: contextOf(parseStoredTraceContext(row.trace_context)) } : {}),
    });
    if (result.status === "completed") {
      return {
        kind: "processed",
        executionId: result.executionId,
        warning: result.warnings.join("; ") || null,
        keysUsed: result.keysUsed,
      };
    }
    // Retriable failures (timeouts, busy or full storage, the sender unreachable for attachments)
    // go back to the inbound queue's retry policy; data errors stop the row.
    return {
      kind: "error",
      error: result.error?.message ?? `The flow ended ${result.status}`,
      executionId: result.executionId,
      retriable: result.error?.retriable === true,
    };
  }

  /** The user an inbound row's flow writes as: the remote's run-as user, else its API user. */
  async inboundRunAs(remoteIdValue: string): Promise<string> {
    const remote = this.deps.config.snapshot().remotesById.get(remoteIdValue);
    if (!remote) return "system";
    return (
      (await this.userName(remote.runAsUserId)) ?? (await this.userName(remote.inboundApiUserId)) ?? "system"
    );
  }

  /** Runs a remote system's error subflow (once per transition to error). */
  async runErrorSubflow(remoteIdValue: string, reason: string): Promise<void> {
    const remote = this.deps.config.snapshot().remotesById.get(remoteIdValue);
    if (!remote?.errorSubflowId) return;
    const flow = await this.deps.flows.published(remote.errorSubflowId);
    const result = await this.run({
      flow,
      inputs: { remote_system: remote.name, error_message: reason, admin_emails: await this.adminEmails() },
      queue: "none",
      queueRowId: null,
      runKey: `error:${remote.id}:${Date.now()}`,
      runAs: "system",
    });
    if (result.status !== "completed") {
      this.deps.logger.error({ remote: remote.name, error: result.error }, "the error subflow failed");
    }
  }

  private async callSubflow(flowRef: string, inputs: Record<string, unknown>, key: string, scope: RunScope) {
    const found = await this.deps.flows.findByName(flowRef);
    const flow = await this.deps.flows.published(found?.id ?? flowRef);
    const result = await this.run({
      flow,
      inputs,
      queue: "none",
      queueRowId: null,
      runKey: key,
      runAs: scope.runAs,
      ...(scope.originRemote ? { originRemote: scope.originRemote } : {}),
    });
    if (result.status !== "completed")
      throw new Error(result.error?.message ?? `Subflow ${flow.name} ended ${result.status}`);
    return result.outputs;
  }

  private async run(request: RunRequest): Promise<RunResult & RunScopeResult> {
    if (!tracingOn()) return this.runTraced(request, null);
    return inSpan(
      `flow ${request.flow.name}`,
      {
        ...(request.parent ? { parent: request.parent } : {}),
        attributes: {
          "tandem.flow": request.flow.name,
          "tandem.flow.id": request.flow.flowId,
          "tandem.flow.version": request.flow.version,
          "tandem.flow.kind": request.flow.kind,
          "tandem.queue": request.queue,
          ...(request.queueRowId !== null ? { "tandem.queue.row": request.queueRowId } : {}),
        },
      },
      async (span) => {
        // A journey the sampler left out has a trace id but no trace to show.
        const traceId = span?.isRecording() ? span.spanContext().traceId : null;
        const result = await this.runTraced(request, traceId);
        if (span && result.status !== "completed") {
          span.setStatus({ code: 2, message: result.error?.message ?? result.status });
        }
        return result;
      },
    );
  }

  private async runTraced(request: RunRequest, traceId: string | null): Promise<RunResult & RunScopeResult> {
    const executionId = newSysId();
    const scope: RunScope = {
      executionId,
      flowId: request.flow.flowId,
      runAs: request.runAs,
      warnings: [],
      keysUsed: [],
      ...(request.originRemote ? { originRemote: request.originRemote } : {}),
      ...(request.fieldClocks ? { fieldClocks: request.fieldClocks } : {}),
    };
    const journal = request.previousExecutionId
      ? await this.deps.executions.steps(request.previousExecutionId)
      : undefined;
    const startedAt = Date.now();
    const observer = tracingStepObserver(request.flow.name);
    const result = await runFlow(request.flow.dag, request.inputs, {
      ports: serverPorts(this.portDeps, scope),
      runKey: request.runKey,
      runAs: request.runAs,
      ...(request.originRemote ? { originRemoteSystem: request.originRemote } : {}),
      ...(journal ? { journal } : {}),
      ...(observer ? { observer } : {}),
      flowTimeoutMs: this.deps.flowTimeoutMs ?? 30_000,
    });
    this.flowMetrics.observe(
      request.flow.name,
      request.flow.kind,
      result.status,
      result.durationMs,
      result.steps,
    );
    this.deps.executions.add({
      id: executionId,
      flowId: request.flow.flowId,
      version: request.flow.version,
      status: result.status,
      queue: request.queue,
      queueRowId: request.queueRowId,
      runKey: request.runKey,
      inputs: request.inputs,
      outputs: result.outputs,
      steps: result.steps,
      nodeOrder: request.flow.dag.order,
      error: result.error?.message ?? null,
      errorNodeId: result.status === "error" ? (result.error?.nodeId ?? null) : null,
      startedAt,
      durationMs: result.durationMs,
      traceId,
    });
    return { ...result, executionId, warnings: scope.warnings, keysUsed: scope.keysUsed };
  }

  private async userName(sysId: string | null): Promise<string | undefined> {
    if (!sysId) return undefined;
    let name = this.userNames.get(sysId);
    if (name === undefined) {
      name = (await this.deps.records.get("sys_user", sysId))?.user_name ?? "";
      this.userNames.set(sysId, name);
    }
    return name || undefined;
  }

  private async adminEmails(): Promise<string[]> {
    const { rows } = await this.deps.records.list("sys_user", {
      query: "rolesLIKEadmin^emailISNOTEMPTY^active=true",
    });
    return rows.map((r) => r.email ?? "").filter((e) => e !== "");
  }
}

/** The flow inputs of an outbound row (the dry run uses the same). */
export function outboundInputs(row: OutboundRow): Record<string, unknown> {
  return {
    table: row.table_name,
    sys_id: row.record_sys_id,
    remote_system: row.remote_system_id,
    operation: row.operation,
    capture_definition: row.capture_definition_id ?? "",
    process_event: row.process_event,
    lane_sequence: row.lane_seq,
    payload: decodePayload(row.payload),
  };
}

export const inboundRunKey = (row: InboundRow): string => `in:${row.remote_system_id}:${row.message_id}`;

/** The flow inputs of an inbound row and the field clocks its payload carries (SPEC 3.8). */
export function inboundInputs(row: InboundRow): {
  inputs: Record<string, unknown>;
  fieldClocks: Map<string, FieldClock>;
} {
  const payload = decodePayload(row.payload) as {
    changed_fields?: Array<{ key: string; clock?: FieldClock }>;
  };
  const fieldClocks = new Map<string, FieldClock>();
  for (const f of payload.changed_fields ?? [])
    if (f.clock && f.clock.counter > 0) fieldClocks.set(f.key, f.clock);
  return {
    inputs: {
      remote_system: row.remote_system_id,
      remote_correlation_id: row.remote_correlation_id,
      local_correlation_id: row.local_correlation_id ?? "",
      process_event: row.process_event,
      payload,
      operation: row.operation,
    },
    fieldClocks,
  };
}

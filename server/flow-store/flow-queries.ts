import type { CanvasGraph, StepRecord } from "../../flows";
import { decodePayload, type StoredPayload } from "../queue/payload-codec";
import { all, get, type Plan, type Query, type Storage, sql } from "../storage";
import { journalText, type StoredJournal, unpackSteps } from "./execution-journal";

// Read models for the designer and the operations views: plain SQL over flow, flow_version,
// flow_execution and flow_log, shaped for the UI, as plans for both dialects (issue 13). Writes
// stay in FlowStore. Each function reads on the storage given; `flowQueryPlans` are the plans.

export type FlowStatus = "draft" | "published" | "changed";

export interface FlowSummary {
  id: string;
  name: string;
  description: string;
  kind: "outbound" | "inbound" | "error" | "subflow";
  templateId: string | null;
  latestVersion: number | null;
  /** draft: never published; changed: the draft differs from the latest version. */
  status: FlowStatus;
  lastPublishedAt: number | null;
  lastPublishedBy: string | null;
  updatedAt: number;
  updatedBy: string;
  nodeCount: number;
}

export interface ExecutionSummary {
  id: string;
  flowId: string;
  flowName: string | null;
  version: number;
  status: "running" | "completed" | "error" | "cancelled";
  queue: "outbound" | "inbound" | "none";
  queueRowId: number | null;
  error: string | null;
  startedAt: number;
  durationMs: number | null;
  /** OpenTelemetry trace of the run (tracing on): one record's journey across both instances. */
  traceId: string | null;
  /** "summary": only per-node status was kept for this run, not its steps' inputs and outputs. */
  detail: "full" | "summary";
}

export interface ExecutionDetail extends ExecutionSummary {
  inputs: unknown;
  outputs: unknown;
  steps: StepRecord[];
  /** The canvas graph of the version that ran (null if that version is gone). */
  graph: CanvasGraph | null;
  logs: Array<{ id: number; level: string; message: string; data: unknown; at: number }>;
}

interface FlowListRow {
  id: string;
  name: string;
  description: string;
  kind: FlowSummary["kind"];
  template_id: string | null;
  latest_version: number | null;
  updated_at: number;
  updated_by: string;
  draft: string;
  published_graph: string | null;
  published_at: number | null;
  published_by: string | null;
}

const parse = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));

/** Node/edge content without positions, so moving a node alone does not read as "changed". */
function shape(graph: CanvasGraph | null): string {
  if (!graph) return "";
  const { nodes, edges, ...meta } = graph;
  return JSON.stringify({
    meta: { ...meta, id: undefined },
    nodes: nodes.map(({ position: _p, ...n }) => n),
    edges,
  });
}

const flowListColumns = `SELECT f.id, f.name, f.description, f.kind, f.template_id, f.latest_version, f.updated_at,
    f.updated_by, f.draft, v.graph AS published_graph, v.published_at, v.published_by
  FROM flow f LEFT JOIN flow_version v ON v.flow_id = f.id AND v.version = f.latest_version`;

const Q = {
  // NOCASE folds ASCII letters only; lower() in the bytewise "C" collation does the same for them
  flows: sql<FlowListRow>({
    sqlite: `${flowListColumns} ORDER BY f.name COLLATE NOCASE`,
    postgres: `${flowListColumns} ORDER BY lower(f.name) COLLATE "C"`,
  }),
  execution: sql<
    ExecutionRow & {
      inputs: StoredJournal | null;
      outputs: StoredJournal | null;
      steps: StoredJournal | null;
    }
  >(
    `SELECT ${executionColumns()}, e.inputs, e.outputs, e.steps FROM flow_execution e
       LEFT JOIN flow f ON f.id = e.flow_id WHERE e.id = ?`,
  ),
  version: sql<{ graph: string; dag: string }>(
    "SELECT graph, dag FROM flow_version WHERE flow_id = ? AND version = ?",
  ),
  logs: sql<{ id: number; level: string; message: string; data: string | null; at: number }>(
    "SELECT id, level, message, data, at FROM flow_log WHERE execution_id = ? ORDER BY id",
  ),
  inboundSamples: sql<InboundSampleRow>(
    `SELECT q.sequence, q.process_event, q.operation, q.remote_correlation_id, q.local_correlation_id, q.remote_system_id,
            r.name AS remote_name, q.received_at, q.payload
       FROM inbound_queue q LEFT JOIN remote_system r ON r.id = q.remote_system_id
      ORDER BY q.sequence DESC LIMIT ?`,
  ),
};

function* flowSummaries(): Plan<FlowSummary[]> {
  const rows = yield* all(Q.flows);
  return rows.map((r) => {
    const draft = parse<CanvasGraph>(r.draft);
    const published = parse<CanvasGraph>(r.published_graph);
    const status: FlowStatus =
      r.latest_version === null ? "draft" : shape(draft) === shape(published) ? "published" : "changed";
    return {
      id: r.id,
      name: r.name,
      description: r.description,
      kind: r.kind,
      templateId: r.template_id,
      latestVersion: r.latest_version,
      status,
      lastPublishedAt: r.published_at,
      lastPublishedBy: r.published_by,
      updatedAt: r.updated_at,
      updatedBy: r.updated_by,
      nodeCount: draft?.nodes.length ?? 0,
    };
  });
}

interface ExecutionRow {
  id: string;
  flow_id: string;
  flow_name: string | null;
  version: number;
  status: ExecutionSummary["status"];
  queue: ExecutionSummary["queue"];
  queue_row_id: number | null;
  error: string | null;
  started_at: number;
  duration_ms: number | null;
  trace_id: string | null;
  detail: ExecutionSummary["detail"];
}

const summaryOf = (r: ExecutionRow): ExecutionSummary => ({
  id: r.id,
  flowId: r.flow_id,
  flowName: r.flow_name,
  version: r.version,
  status: r.status,
  queue: r.queue,
  queueRowId: r.queue_row_id,
  error: r.error,
  startedAt: r.started_at,
  durationMs: r.duration_ms,
  traceId: r.trace_id,
  detail: r.detail,
});

function executionColumns(): string {
  return `e.id, e.flow_id, f.name AS flow_name, e.version, e.status, e.queue, e.queue_row_id,
  e.error, e.started_at, e.duration_ms, e.trace_id, e.detail`;
}

export interface ExecutionFilter {
  flowId?: string | undefined;
  queue?: "outbound" | "inbound" | undefined;
  queueRowId?: number | undefined;
  status?: ExecutionSummary["status"] | undefined;
  limit: number;
}

/** One statement per combination of filters (16 at most), so each is prepared once. */
const executionQueries = new Map<string, Query<ExecutionRow>>();

function* executionSummaries(f: ExecutionFilter): Plan<ExecutionSummary[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.flowId) {
    where.push("e.flow_id = ?");
    params.push(f.flowId);
  }
  if (f.queue) {
    where.push("e.queue = ?");
    params.push(f.queue);
  }
  if (f.queueRowId !== undefined) {
    where.push("e.queue_row_id = ?");
    params.push(f.queueRowId);
  }
  if (f.status) {
    where.push("e.status = ?");
    params.push(f.status);
  }
  const key = where.join(" AND ");
  let query = executionQueries.get(key);
  if (!query) {
    query =
      sql<ExecutionRow>(`SELECT ${executionColumns()} FROM flow_execution e LEFT JOIN flow f ON f.id = e.flow_id
    ${where.length ? `WHERE ${key}` : ""} ORDER BY e.started_at DESC LIMIT ?`);
    executionQueries.set(key, query);
  }
  return (yield* all(query, ...params, f.limit)).map(summaryOf);
}

function* executionDetail(id: string): Plan<ExecutionDetail | null> {
  const row = yield* get(Q.execution, id);
  if (!row) return null;
  const version = yield* get(Q.version, row.flow_id, row.version);
  const logs = (yield* all(Q.logs, id)).map((l) => ({ ...l, data: parse<unknown>(l.data) }));
  const stored = (column: StoredJournal | null) => (column === null ? null : journalText(column));
  const inputs = parse<unknown>(stored(row.inputs));
  const graph = parse<CanvasGraph>(version?.graph ?? null);
  const types = new Map((graph?.nodes ?? []).map((n) => [n.id, n.type]));
  return {
    ...summaryOf(row),
    inputs,
    outputs: parse<unknown>(stored(row.outputs)),
    steps: unpackSteps(row.steps, inputs, {
      startedAt: row.started_at,
      types,
      nodes: dagOrder(version?.dag),
    }),
    graph,
    logs,
  };
}

/** The version's node order (Dag.order) that a compact summary names steps by; [] when gone. */
function dagOrder(dag: string | undefined): readonly string[] {
  const order = parse<{ order?: unknown }>(dag ?? null)?.order;
  return Array.isArray(order) && order.every((id): id is string => typeof id === "string") ? order : [];
}

export interface InboundSample {
  sequence: number;
  processEvent: string;
  operation: string;
  remoteCorrelationId: string;
  localCorrelationId: string | null;
  remoteSystemId: string;
  remoteSystemName: string | null;
  receivedAt: number;
  payload: unknown;
}

interface InboundSampleRow {
  sequence: number;
  process_event: string;
  operation: string;
  remote_correlation_id: string;
  local_correlation_id: string | null;
  remote_system_id: string;
  remote_name: string | null;
  received_at: number;
  payload: StoredPayload;
}

function* recentInbound(limit: number): Plan<InboundSample[]> {
  const rows = yield* all(Q.inboundSamples, limit);
  return rows.map((r) => {
    let payload: unknown;
    try {
      payload = decodePayload(r.payload);
    } catch {
      // keep the raw text; Transform Payload reports it as invalid JSON in the test run
      payload = typeof r.payload === "string" ? r.payload : null;
    }
    return {
      sequence: r.sequence,
      processEvent: r.process_event,
      operation: r.operation,
      remoteCorrelationId: r.remote_correlation_id,
      localCorrelationId: r.local_correlation_id,
      remoteSystemId: r.remote_system_id,
      remoteSystemName: r.remote_name,
      receivedAt: r.received_at,
      payload,
    };
  });
}

export const flowQueryPlans = {
  flowSummaries,
  executionSummaries,
  executionDetail,
  recentInbound,
};

export function listFlows(storage: Storage): Promise<FlowSummary[]> {
  return storage.read(flowSummaries());
}

/** Newest first, by flow and/or by queue row. */
export function listExecutions(storage: Storage, f: ExecutionFilter): Promise<ExecutionSummary[]> {
  return storage.read(executionSummaries(f));
}

export function getExecution(storage: Storage, id: string): Promise<ExecutionDetail | null> {
  return storage.read(executionDetail(id));
}

/** Recent inbound payloads, to test-run an inbound flow with real data. */
export function inboundSamples(storage: Storage, limit: number): Promise<InboundSample[]> {
  return storage.read(recentInbound(limit));
}

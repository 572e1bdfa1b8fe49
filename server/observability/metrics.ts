import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";

// The instance's Prometheus metrics (GET /metrics). One registry per process: an instance is one
// process (SPEC 7), and the hot paths reach the metrics without threading them through every
// constructor. Labels are names and ids only (remote names, event names, flow names, node types,
// route patterns, statuses), never record values or secrets, and never per row: the label sets
// stay small however many records flow through.

const slot = Symbol.for("tandem.metrics");
type Slot = { [slot]?: Metrics };

const seconds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

function build() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "tandem_", eventLoopMonitoringPrecision: 20 });
  const registers = [registry];
  return {
    registry,
    queueRows: new Counter({
      name: "tandem_queue_rows_total",
      help: "Queue rows finished by the workers, by outcome (processed, error, retry)",
      labelNames: ["queue", "remote", "process_event", "outcome"] as const,
      registers,
    }),
    flowRun: new Histogram({
      name: "tandem_flow_run_duration_seconds",
      help: "Duration of flow runs, per flow and final status",
      labelNames: ["flow", "kind", "status"] as const,
      buckets: seconds,
      registers,
    }),
    flowStep: new Histogram({
      name: "tandem_flow_step_duration_seconds",
      help: "Duration of flow steps, per flow and node type",
      labelNames: ["flow", "node_type", "status"] as const,
      buckets: seconds,
      registers,
    }),
    wireRequest: new Histogram({
      name: "tandem_wire_request_duration_seconds",
      help: "Wire protocol message requests: sent (client) and received (receiver), per remote and outcome",
      labelNames: ["side", "remote", "status"] as const,
      buckets: seconds,
      registers,
    }),
    wireBatch: new Histogram({
      name: "tandem_wire_batch_size",
      help: "Messages per wire protocol request, sent (client) and received (receiver)",
      labelNames: ["side", "remote"] as const,
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
      registers,
    }),
    http: new Histogram({
      name: "tandem_http_request_duration_seconds",
      help: "HTTP API requests, per route pattern, method and status",
      labelNames: ["route", "method", "status"] as const,
      buckets: seconds,
      registers,
    }),
    sqliteTransaction: new Histogram({
      name: "tandem_sqlite_transaction_duration_seconds",
      help: "SQLite write transactions, per kind (record write, inbound accept, queue outcomes, executions)",
      labelNames: ["kind"] as const,
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof build>;

/** The metrics of this process, created on first use. */
export function metrics(): Metrics {
  const g = globalThis as Slot;
  g[slot] ??= build();
  return g[slot];
}

/** Records a SQLite transaction that started at `t0` (performance.now()) and just ended. */
export function observeTransaction(kind: string, t0: number): void {
  metrics()
    .sqliteTransaction.labels(kind)
    .observe((performance.now() - t0) / 1000);
}

/** Times a synchronous SQLite transaction (or anything) into the transaction histogram. */
/** `timedTransaction` for a transaction that settles later (a plan run by the storage layer). */
export async function timedAsync<T>(kind: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await fn();
  } finally {
    metrics()
      .sqliteTransaction.labels(kind)
      .observe((performance.now() - t0) / 1000);
  }
}

export function timedTransaction<T>(kind: string, fn: () => T): T {
  const t0 = performance.now();
  try {
    return fn();
  } finally {
    metrics()
      .sqliteTransaction.labels(kind)
      .observe((performance.now() - t0) / 1000);
  }
}

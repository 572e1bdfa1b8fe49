import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

// Flows (SPEC 4): an editable draft, immutable published versions, and run records.

export const flow = sqliteTable("flow", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  description: text("description").notNull().default(""),
  kind: text("kind", { enum: ["outbound", "inbound", "error", "subflow"] }).notNull(),
  draft: text("draft", { mode: "json" }).notNull(), // canvas graph (flows/schema/canvas.ts)
  templateId: text("template_id"), // the template it was cloned from
  latestVersion: integer("latest_version"), // null until first published
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
  updatedBy: text("updated_by").notNull(),
});

export const flowVersion = sqliteTable(
  "flow_version",
  {
    flowId: text("flow_id")
      .notNull()
      .references(() => flow.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    graph: text("graph", { mode: "json" }).notNull(), // canvas graph as published
    dag: text("dag", { mode: "json" }).notNull(), // compiled JSON DAG the runner executes
    publishedAt: integer("published_at").notNull(),
    publishedBy: text("published_by").notNull(),
  },
  (t) => [primaryKey({ columns: [t.flowId, t.version] })],
);

// One row per run: the step journal is stored as one JSON column, not a row per step
// (measured: a row per step costs ~20x the interpretation itself).
export const flowExecution = sqliteTable(
  "flow_execution",
  {
    id: text("id").primaryKey(),
    flowId: text("flow_id").notNull(),
    version: integer("version").notNull(),
    status: text("status", { enum: ["running", "completed", "error", "cancelled"] }).notNull(),
    queue: text("queue", { enum: ["outbound", "inbound", "none"] }).notNull(),
    queueRowId: integer("queue_row_id"),
    runKey: text("run_key").notNull(),
    inputs: text("inputs", { mode: "json" }),
    outputs: text("outputs", { mode: "json" }),
    steps: text("steps", { mode: "json" }), // the interpreter's step journal
    error: text("error"),
    errorNodeId: text("error_node_id"), // the node the run failed at (null unless status = error)
    startedAt: integer("started_at").notNull(),
    durationMs: integer("duration_ms"),
    traceId: text("trace_id"), // OpenTelemetry trace of the run, when tracing is on
    // "summary": only per-node status and effect outputs were kept (server/flow-store/journal-sampling.ts)
    detail: text("detail", { enum: ["full", "summary"] })
      .notNull()
      .default("full"),
  },
  (t) => [
    index("flow_execution_flow").on(t.flowId, t.startedAt),
    index("flow_execution_row").on(t.queue, t.queueRowId),
  ],
);

// The live canvas's figures (issue 15): per flow version, node, port and time bucket, kept up
// to date by the execution writer in the same transaction as the runs, so opening a flow never
// scans journals. A row with port "" counts runs through the node; a row with a port counts runs
// that left the node by it (the edge figures). Two spans: minutes for short windows, hours for
// long ones, so a 7-day window reads at most a few hundred rows per key.
export const flowNodeStat = sqliteTable(
  "flow_node_stat",
  {
    flowId: text("flow_id").notNull(),
    version: integer("version").notNull(),
    span: integer("span").notNull(), // bucket length in ms: 60000 or 3600000
    bucket: integer("bucket").notNull(), // bucket start, epoch ms
    nodeId: text("node_id").notNull(),
    port: text("port").notNull(), // "" for the node itself, else the port runs left by
    runs: integer("runs").notNull(), // runs that executed the node (or took the port)
    errors: integer("errors").notNull(), // runs that ended in error at this node
    histogram: text("histogram").notNull(), // duration counts per log-scale bucket (server/stats/histogram.ts), JSON
    lastError: text("last_error"), // the newest error message in the bucket
    lastErrorAt: integer("last_error_at"), // when it happened, epoch ms
  },
  (t) => [primaryKey({ columns: [t.flowId, t.version, t.span, t.bucket, t.nodeId, t.port] })],
);

export const flowLog = sqliteTable(
  "flow_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    executionId: text("execution_id"),
    flowId: text("flow_id"),
    level: text("level").notNull(),
    message: text("message").notNull(),
    data: text("data", { mode: "json" }),
    at: integer("at").notNull(),
  },
  (t) => [index("flow_log_execution").on(t.executionId)],
);

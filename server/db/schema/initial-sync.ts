import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

// Initial sync (issue 17): existing records brought across a pair through the normal outbound
// path. The sender keeps the job (its cursor commits with the outbound rows it enqueued, so a
// restart resumes where it stopped); the receiver keeps one outcome per job message.

export const initialSyncStatuses = ["running", "paused", "cancelled", "completed"] as const;

export const initialSyncJob = sqliteTable(
  "initial_sync_job",
  {
    id: text("id").primaryKey(),
    definitionId: text("definition_id").notNull(),
    remoteSystemId: text("remote_system_id").notNull(),
    // push: this instance's records go to the remote (the job runs here); pull: the remote's come
    // here (the job runs there under the same id, this row follows it).
    direction: text("direction", { enum: ["push", "pull"] })
      .notNull()
      .default("push"),
    captureDefinitionId: text("capture_definition_id").notNull(), // pull: "" (the remote's capture)
    tableName: text("table_name").notNull(),
    condition: text("condition").notNull().default(""), // encoded query; empty: every record
    mode: text("mode", { enum: ["create", "link"] }).notNull(),
    linkField: text("link_field"), // mode link: the field both sides match on
    status: text("status", { enum: initialSyncStatuses }).notNull(),
    total: integer("total").notNull(), // records matching when the job started
    cursor: text("cursor").notNull().default(""), // the last sys_id enqueued (records go in sys_id order)
    enqueued: integer("enqueued").notNull().default(0),
    exhausted: integer("exhausted", { mode: "boolean" }).notNull().default(false),
    createdBy: text("created_by").notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    finishedAt: integer("finished_at"),
    remoteProgress: text("remote_progress"), // JSON: the receiver's latest counts (server/initial-sync/receiver.ts)
    report: text("report"), // JSON of the final report, once completed or cancelled
    lastError: text("last_error"), // why the job is not moving (remote unreachable...), cleared when it moves
  },
  (t) => [index("initial_sync_job_status").on(t.status)],
);

// Every action on a job, with who and when (started, paused, resumed, cancelled, completed).
export const initialSyncEvent = sqliteTable(
  "initial_sync_event",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    jobId: text("job_id").notNull(),
    action: text("action").notNull(),
    user: text("user").notNull(),
    detail: text("detail"), // JSON: condition, totals
    at: integer("at").notNull(),
  },
  (t) => [index("initial_sync_event_job").on(t.jobId, t.id)],
);

// The receiver's classification of each job message, written before its inbound flow runs
// (so a re-run after a crash keeps the first classification).
export const initialSyncOutcome = sqliteTable(
  "initial_sync_outcome",
  {
    remoteSystemId: text("remote_system_id").notNull(),
    messageId: text("message_id").notNull(),
    jobId: text("job_id").notNull(),
    outcome: text("outcome", { enum: ["created", "linked", "unchanged", "conflict"] }).notNull(),
    sourceSysId: text("source_sys_id").notNull(), // the record on the sender
    label: text("label").notNull().default(""), // the link value (or number), to show
    localSysId: text("local_sys_id"), // linked / unchanged: the record here
    detail: text("detail"), // conflict: the records that matched
    at: integer("at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.remoteSystemId, t.messageId] }),
    index("initial_sync_outcome_job").on(t.remoteSystemId, t.jobId, t.outcome),
  ],
);

// The receiver's running totals per job and outcome, moved in the transaction that classifies a
// message: the sender asks for them every few hundred ms while its job runs (no count of rows).
export const initialSyncCount = sqliteTable(
  "initial_sync_count",
  {
    remoteSystemId: text("remote_system_id").notNull(),
    jobId: text("job_id").notNull(),
    outcome: text("outcome", { enum: ["created", "linked", "unchanged", "conflict"] }).notNull(),
    n: integer("n").notNull(),
  },
  (t) => [primaryKey({ columns: [t.remoteSystemId, t.jobId, t.outcome] })],
);

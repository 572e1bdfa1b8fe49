import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

// Sync configuration (SPEC 2). Ids are sys_id-style text; times are epoch ms unless noted.

export const syncDefinition = sqliteTable("sync_definition", {
  id: text("id").primaryKey(),
  name: text("name").notNull().unique(),
  description: text("description").notNull().default(""),
  domain: text("domain").notNull().default("global"),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

// Linked across instances by exactly the same (case-sensitive) name, which travels on the wire.
export const processEvent = sqliteTable("process_event", {
  id: text("id").primaryKey(),
  definitionId: text("definition_id")
    .notNull()
    .references(() => syncDefinition.id, { onDelete: "cascade" }),
  name: text("name").notNull().unique(),
  domain: text("domain").notNull().default("global"),
  createdAt: integer("created_at").notNull(),
});

export const captureDefinition = sqliteTable(
  "capture_definition",
  {
    id: text("id").primaryKey(),
    definitionId: text("definition_id")
      .notNull()
      .references(() => syncDefinition.id, { onDelete: "cascade" }),
    processEventId: text("process_event_id")
      .notNull()
      .references(() => processEvent.id),
    name: text("name").notNull(),
    state: text("state", { enum: ["active", "inactive"] })
      .notNull()
      .default("active"),
    order: integer("order").notNull().default(100), // lower first
    sourceTable: text("source_table").notNull(),
    filter: text("filter", { mode: "json" }).notNull(), // CaptureFilter (server/capture/filter.ts)
    operations: text("operations", { mode: "json" }).notNull().$type<string[]>(), // create|update|delete
    includeFields: text("include_fields", { mode: "json" }).notNull().$type<string[]>(),
    includeJournal: text("include_journal", { mode: "json" }).notNull().$type<string[]>(), // comments, work_notes
    includeAttachments: integer("include_attachments", { mode: "boolean" }).notNull().default(false),
    attachmentMode: text("attachment_mode", { enum: ["deltas", "all"] })
      .notNull()
      .default("deltas"),
    ignoreNonInteractive: integer("ignore_non_interactive", { mode: "boolean" }).notNull().default(false),
    domain: text("domain").notNull().default("global"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("capture_table").on(t.sourceTable, t.state)],
);

export const remoteSystem = sqliteTable("remote_system", {
  id: text("id").primaryKey(),
  definitionId: text("definition_id").references(() => syncDefinition.id, { onDelete: "set null" }),
  name: text("name").notNull().unique(),
  description: text("description").notNull().default(""),
  domain: text("domain").notNull().default("global"),
  externalId: text("external_id").notNull().default(""), // the peer's remote_system id that stands for us
  baseUrl: text("base_url").notNull(), // the peer's URL, e.g. http://localhost:3001
  outboundUser: text("outbound_user").notNull().default(""), // the peer's inbound API user name
  outboundSecret: text("outbound_secret").notNull().default(""), // encrypted (server/sync/secrets.ts)
  signingSecret: text("signing_secret").notNull().default(""), // encrypted; shared by the pair
  inboundApiUserId: text("inbound_api_user_id"), // local sync_api user the peer logs in as
  runAsUserId: text("run_as_user_id"), // local user whose name appears on inbound writes
  errorSubflowId: text("error_subflow_id"),
  outboundState: text("outbound_state", { enum: ["disabled", "active", "error"] })
    .notNull()
    .default("disabled"),
  inboundState: text("inbound_state", { enum: ["disabled", "active", "error"] })
    .notNull()
    .default("disabled"),
  stateMessage: text("state_message").notNull().default(""), // why the state is what it is
  retryTimes: integer("retry_times").notNull().default(5),
  retryIntervalMs: integer("retry_interval_ms").notNull().default(1000),
  retryBackoff: text("retry_backoff", { enum: ["fixed", "exponential"] })
    .notNull()
    .default("exponential"),
  autoRecover: integer("auto_recover", { mode: "boolean" }).notNull().default(false),
  alertQueueAgeMs: integer("alert_queue_age_ms"), // alert when the oldest ready row is older; null = off
  alertErrorRatePct: integer("alert_error_rate_pct"), // alert when this % of the last hour's rows failed; null = off
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

// Binds one (process event, remote system) to a published flow; several outbound ones = fan-out.
export const flowBinding = sqliteTable(
  "flow_binding",
  {
    id: text("id").primaryKey(),
    direction: text("direction", { enum: ["outbound", "inbound"] }).notNull(),
    definitionId: text("definition_id").references(() => syncDefinition.id, { onDelete: "cascade" }),
    processEventId: text("process_event_id")
      .notNull()
      .references(() => processEvent.id),
    remoteSystemId: text("remote_system_id")
      .notNull()
      .references(() => remoteSystem.id),
    flowId: text("flow_id").notNull(),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("flow_binding_unique").on(t.direction, t.processEventId, t.remoteSystemId)],
);

// One per (local record, remote system); look-ups see only active ones (SPEC 3.5).
export const correlation = sqliteTable(
  "correlation",
  {
    localId: text("local_id").primaryKey(),
    remoteId: text("remote_id"),
    remoteSystemId: text("remote_system_id")
      .notNull()
      .references(() => remoteSystem.id),
    tableName: text("table_name").notNull(),
    recordSysId: text("record_sys_id").notNull(),
    state: text("state", { enum: ["active", "inactive"] })
      .notNull()
      .default("active"),
    staleFieldsSkipped: integer("stale_fields_skipped").notNull().default(0), // SPEC 3.8
    createdAt: integer("created_at").notNull(),
    lastSyncedAt: integer("last_synced_at"),
  },
  (t) => [
    index("correlation_record").on(t.remoteSystemId, t.tableName, t.recordSysId, t.state),
    index("correlation_remote").on(t.remoteSystemId, t.remoteId),
  ],
);

// Logical clocks of each record's fields, for converging concurrent edits (SPEC 3.8): one row
// per record, `{"<origin>": {"<field>": counter}}` (server/capture/field-clocks.ts). WITHOUT
// ROWID (hand-written in migration 0012): keyed by the record id alone, stored once.
export const recordClock = sqliteTable("record_clock", {
  recordSysId: text("record_sys_id").primaryKey(),
  clocks: text("clocks").notNull(),
});

// Emails kept when no SMTP server is configured (SPEC 7), and the idempotency of sent ones.
export const emailOutbox = sqliteTable("email_outbox", {
  id: text("id").primaryKey(),
  idempotencyKey: text("idempotency_key").notNull().unique(),
  to: text("to").notNull(),
  subject: text("subject").notNull(),
  body: text("body").notNull(),
  status: text("status", { enum: ["kept", "sent", "failed"] }).notNull(),
  error: text("error"),
  createdAt: integer("created_at").notNull(),
});

// Results of side-effecting flow steps by idempotency key (queue row + step), so a run that is
// repeated after a crash or a reprocess returns the first result instead of acting twice.
// Purged with the queue rows they belong to (server/queue/retention.ts), by created_at.
export const idempotencyKey = sqliteTable(
  "idempotency_key",
  {
    key: text("key").primaryKey(),
    result: text("result").notNull(), // JSON
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("idempotency_key_created").on(t.createdAt)],
);

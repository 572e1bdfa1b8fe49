import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

// Attachment transfer between instances (SPEC 3.6). The receiver tracks what it asked for and
// what arrived; the sender tracks what it must push and what it delivered.

// Receiver side: one row per requested synthetic key.
export const attachmentTransfer = sqliteTable(
  "attachment_transfer",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    remoteSystemId: text("remote_system_id").notNull(),
    keyHash: text("key_hash").notNull(), // SHA-256 of the synthetic key (keys can be long)
    key: text("key").notNull(),
    correlationId: text("correlation_id").notNull(), // our local correlation id for the record
    tableName: text("table_name").notNull(),
    recordSysId: text("record_sys_id").notNull(),
    fileName: text("file_name").notNull(), // sanitized
    contentType: text("content_type").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    hash: text("hash").notNull(), // expected SHA-256 of the content
    status: text("status", { enum: ["requested", "received", "moved", "refused"] }).notNull(),
    error: text("error"),
    attachmentSysId: text("attachment_sys_id"), // the attachment created on the record
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("attachment_transfer_key").on(t.remoteSystemId, t.keyHash),
    index("attachment_transfer_correlation").on(t.correlationId, t.status),
  ],
);

// Sender side: pushes owed to a remote after it requested them; retried until delivered.
export const attachmentPush = sqliteTable(
  "attachment_push",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    remoteSystemId: text("remote_system_id").notNull(),
    attachmentSysId: text("attachment_sys_id").notNull(),
    key: text("key").notNull(),
    receiverCorrelationId: text("receiver_correlation_id").notNull(),
    batch: text("batch").notNull(), // one request's pushes complete together
    status: text("status", { enum: ["ready", "pushed", "error"] }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at").notNull(),
    lastError: text("last_error"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    index("attachment_push_ready").on(t.status, t.nextAttemptAt),
    uniqueIndex("attachment_push_unique").on(t.remoteSystemId, t.attachmentSysId, t.receiverCorrelationId),
  ],
);

import { sql } from "drizzle-orm";
import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

// The table registry: business tables are described by data, not code (SPEC 1.1).
export const tableRegistry = sqliteTable("table_registry", {
  name: text("name").primaryKey(), // e.g. "incident"
  label: text("label").notNull(), // e.g. "Incident"
  numberPrefix: text("number_prefix"), // e.g. "INC"; null when the table has no number
  displayField: text("display_field").notNull(), // field shown for references to this table
  fields: text("fields", { mode: "json" }).notNull(), // { fields: FieldDefinition[], lookupFields? } (server/tables/types.ts)
});

// Next auto-number per table; bumped inside the write transaction.
export const numberCounter = sqliteTable("number_counter", {
  tableName: text("table_name").primaryKey(),
  next: integer("next").notNull(),
});

// Every business record of every table; field values live in `data` as strings (Table API style).
export const record = sqliteTable(
  "record",
  {
    sysId: text("sys_id").primaryKey(), // 32 lower-case hex chars
    tableName: text("table_name").notNull(),
    data: text("data", { mode: "json" }).notNull().$type<Record<string, string>>(), // non-journal fields
    sysCreatedOn: text("sys_created_on").notNull(), // "YYYY-MM-DD HH:MM:SS" UTC, as the Table API shows it
    sysCreatedBy: text("sys_created_by").notNull(), // user_name
    sysUpdatedOn: text("sys_updated_on").notNull(),
    sysUpdatedBy: text("sys_updated_by").notNull(),
    sysModCount: integer("sys_mod_count").notNull().default(0),
    sysDomain: text("sys_domain").notNull().default("global"),
  },
  (t) => [
    index("record_table_created").on(t.tableName, t.sysCreatedOn),
    // A walk in sys_id order from a cursor (an initial sync) reads a page, not the whole table.
    index("record_table_sys_id").on(t.tableName, t.sysId),
  ],
);

// Append-only journal entries (comments, work notes) of a record.
export const journalEntry = sqliteTable(
  "journal_entry",
  {
    seq: integer("seq").primaryKey({ autoIncrement: true }), // global order of entries
    entryId: text("entry_id").notNull(), // stable id that travels with the sync
    tableName: text("table_name").notNull(),
    recordSysId: text("record_sys_id").notNull(),
    element: text("element").notNull(), // "comments" | "work_notes"
    value: text("value").notNull(),
    createdBy: text("created_by").notNull(), // the author's user_name (original author for synced entries)
    createdOn: text("created_on").notNull(),
    originRemote: text("origin_remote"), // remote system that sent it, for echo suppression
  },
  (t) => [index("journal_record").on(t.recordSysId, t.seq), uniqueIndex("journal_entry_id").on(t.entryId)],
);

// Who changed what and when, one row per changed field (operation rows carry field = null).
export const auditEntry = sqliteTable(
  "audit_entry",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tableName: text("table_name").notNull(),
    recordSysId: text("record_sys_id").notNull(),
    operation: text("operation").notNull(), // create | update | delete | attach | detach
    field: text("field"),
    oldValue: text("old_value"),
    newValue: text("new_value"),
    // One row per write (issue 14): the write's changed fields as JSON [[field, old, new], ...],
    // with field/old_value/new_value null; its punctuation and field names are stored as one
    // character each (server/records/audit-changes-codec.ts). Rows written before it keep one
    // field each; the reader (server/api/history.ts) reads all these shapes.
    changes: text("changes"),
    user: text("user").notNull(),
    origin: text("origin").notNull(), // ui | api | flow | system
    originRemote: text("origin_remote"),
    at: text("at").notNull(),
  },
  (t) => [index("audit_record").on(t.recordSysId, t.id)],
);

// Attachment metadata; content is stored by hash (server/attachments/content-store.ts): on disk
// in the data folder, or in attachment_content below when the processes share a database.
export const attachment = sqliteTable(
  "attachment",
  {
    sysId: text("sys_id").primaryKey(),
    tableName: text("table_name").notNull(),
    tableSysId: text("table_sys_id").notNull(),
    fileName: text("file_name").notNull(),
    contentType: text("content_type").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    hash: text("hash").notNull(), // SHA-256 hex of the content
    sysCreatedOn: text("sys_created_on").notNull(),
    sysCreatedBy: text("sys_created_by").notNull(),
  },
  (t) => [index("attachment_record").on(t.tableName, t.tableSysId), index("attachment_hash").on(t.hash)],
);

// Attachment bytes in the database (issue 13: several processes, one PostgreSQL), in chunks of
// 256 KiB (server/attachments/database-content-store.ts); an empty file is one empty chunk.
// While an upload streams in, its chunks are staged under hash "staging:<id>" with staged_at
// set; one transaction then renames them to the content's hash (staged_at null), so a hash has
// rows only once all its bytes are there. Staged rows left by a crash are swept by age.
export const attachmentContent = sqliteTable(
  "attachment_content",
  {
    hash: text("hash").notNull(), // SHA-256 hex of the whole content, or staging:<id>
    seq: integer("seq").notNull(), // 0, 1, ... in file order
    bytes: blob("bytes", { mode: "buffer" }).notNull(),
    stagedAt: integer("staged_at"), // epoch ms while staged; null once the content is complete
  },
  (t) => [primaryKey({ columns: [t.hash, t.seq] }), index("attachment_content_staged").on(t.stagedAt)],
);

// Password hashes live apart from sys_user records so the Table API can never read them.
export const userCredential = sqliteTable("user_credential", {
  userSysId: text("user_sys_id")
    .primaryKey()
    .references(() => record.sysId, { onDelete: "cascade" }),
  passwordHash: text("password_hash").notNull(), // scrypt$N$r$p$salt$hash
  changedOn: text("changed_on").notNull(),
});

// UI sessions; only the SHA-256 of the cookie token is stored.
export const session = sqliteTable(
  "session",
  {
    tokenHash: text("token_hash").primaryKey(),
    userSysId: text("user_sys_id")
      .notNull()
      .references(() => record.sysId, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull(), // epoch ms
    expiresAt: integer("expires_at").notNull(), // epoch ms
  },
  (t) => [index("session_expires").on(t.expiresAt)],
);

// Small key/value facts about this instance (instance id, secrets key fingerprint, seed marks).
export const instanceSetting = sqliteTable("instance_setting", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: integer("updated_at").notNull().default(sql`(unixepoch() * 1000)`),
});

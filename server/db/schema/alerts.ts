import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

// Alert state per remote system and kind (issue 15): kept in the database so that a restart
// neither forgets a firing alert nor sends its email again.
export const remoteAlert = sqliteTable(
  "remote_alert",
  {
    remoteSystemId: text("remote_system_id").notNull(),
    kind: text("kind", { enum: ["queue_age", "error_rate"] }).notNull(),
    state: text("state", { enum: ["firing", "cleared"] }).notNull(),
    value: integer("value").notNull(), // measured value when last evaluated (ms or %)
    threshold: integer("threshold").notNull(), // the threshold it was compared with
    message: text("message").notNull(), // what the dashboard and the banner say
    firedAt: integer("fired_at").notNull(), // start of the current (or last) firing
    clearedAt: integer("cleared_at"),
    notifiedAt: integer("notified_at"), // the "firing" email went out (once per firing)
    clearNotifiedAt: integer("clear_notified_at"), // the "cleared" email went out
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.remoteSystemId, t.kind] })],
);

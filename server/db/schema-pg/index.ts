import * as sqlite from "../schema";
import { derivePgTables } from "./derive";

// All tables of an instance database on PostgreSQL, derived from the SQLite schema (./derive.ts);
// drizzle-kit reads this file (drizzle-pg.config.ts). drizzle-kit only sees named exports, so
// each table is named here once; schema-pg.test.ts fails when one is missing.

export const tables = derivePgTables(sqlite);

export const {
  remoteAlert,
  flow,
  flowVersion,
  flowExecution,
  flowNodeStat,
  flowLog,
  outboundQueue,
  inboundQueue,
  queueAction,
  tableRegistry,
  numberCounter,
  record,
  journalEntry,
  auditEntry,
  attachment,
  attachmentContent,
  userCredential,
  session,
  instanceSetting,
  syncDefinition,
  processEvent,
  captureDefinition,
  remoteSystem,
  flowBinding,
  correlation,
  recordClock,
  emailOutbox,
  idempotencyKey,
  attachmentTransfer,
  attachmentPush,
  initialSyncJob,
  initialSyncEvent,
  initialSyncOutcome,
  initialSyncCount,
} = tables;

/**
 * What node types may touch outside the flow. The server implements these over SQLite and
 * HTTP; `flows/testing/memory-ports.ts` implements them in memory for tests and test runs.
 * Every write takes an idempotency key derived from the run key and the step, so a replayed
 * or reprocessed run never repeats a side effect.
 */

export type RecordValues = Record<string, unknown>;
export type SyncRecord = RecordValues & { sys_id: string };

/** Who writes and on whose behalf: run-as user and origin remote (for echo suppression). */
export interface WriteMeta {
  runAs?: string;
  originRemoteSystem?: string;
  idempotencyKey?: string;
  /** Journal entries to add with their original author and time (SPEC 3.7). */
  journalEntries?: JournalEntry[];
}

export interface JournalEntry {
  element: string;
  value: string;
  created_by?: string;
  created_on?: string;
}

export interface FieldInfo {
  name: string;
  type: "string" | "text" | "integer" | "boolean" | "datetime" | "choice" | "reference" | "journal";
  choices?: Array<{ value: string; label: string }>;
  reference?: { table: string; displayField: string };
}

export interface TableInfo {
  name: string;
  fields: FieldInfo[];
}

export type RecordQuery = { sysId: string } | { where: Record<string, string> };

export interface RecordsPort {
  describe(table: string): Promise<TableInfo | undefined>;
  /** First match or null. Throws NotFoundError only for an unknown table. */
  lookup(table: string, query: RecordQuery): Promise<SyncRecord | null>;
  create(table: string, values: RecordValues, meta: WriteMeta): Promise<SyncRecord>;
  update(table: string, sysId: string, values: RecordValues, meta: WriteMeta): Promise<SyncRecord>;
  delete(table: string, sysId: string, meta: WriteMeta): Promise<void>;
}

export type CorrelationState = "active" | "inactive";

export interface Correlation {
  localCorrelationId: string;
  remoteCorrelationId: string | null;
  remoteSystem: string;
  table: string;
  sysId: string;
  state: CorrelationState;
}

export interface CorrelationsPort {
  /** Active correlations only (SPEC 3.5). */
  lookupByLocalRecord(remoteSystem: string, table: string, sysId: string): Promise<Correlation | null>;
  lookupByLocalId(remoteSystem: string, localCorrelationId: string): Promise<Correlation | null>;
  lookupByRemoteId(remoteSystem: string, remoteCorrelationId: string): Promise<Correlation | null>;
  create(input: {
    remoteSystem: string;
    table: string;
    sysId: string;
    localCorrelationId?: string;
    remoteCorrelationId?: string | null;
  }): Promise<Correlation>;
  updateState(
    remoteSystem: string,
    localCorrelationId: string,
    state: CorrelationState,
  ): Promise<Correlation>;
  setRemoteId(
    remoteSystem: string,
    localCorrelationId: string,
    remoteCorrelationId: string,
  ): Promise<Correlation>;
}

/** One message on the wire (SPEC 3.3). */
export interface WireMessage {
  id: string;
  process_event: string;
  operation: string;
  sender_correlation_id: string;
  receiver_correlation_id?: string | null;
  lane_sequence: number;
  payload: unknown;
}

export interface SendResult {
  status: "accepted" | "duplicate" | "rejected";
  receiverCorrelationId?: string | null;
  error?: string;
}

export interface TransportPort {
  /** Throws RetriableError on connection trouble; a `rejected` status is a data error. */
  send(remoteSystem: string, message: WireMessage, idempotencyKey: string): Promise<SendResult>;
}

export type QueueName = "outbound" | "inbound";

export interface QueuesPort {
  reprocess(queue: QueueName, ids: string[], meta: WriteMeta): Promise<{ count: number }>;
  skip(queue: QueueName, ids: string[], meta: WriteMeta): Promise<{ count: number }>;
}

export interface EmailMessage {
  to: string[];
  subject: string;
  text: string;
}

export interface EmailPort {
  send(message: EmailMessage, idempotencyKey: string): Promise<{ messageId: string; duplicate: boolean }>;
}

export type LogLevel = "debug" | "info" | "warn" | "error";

export interface LogPort {
  write(level: LogLevel, message: string, data?: Record<string, unknown>): Promise<void> | void;
}

export interface SubflowsPort {
  /** Runs the latest published version of a subflow (by id or name) and returns its outputs. */
  call(
    flow: string,
    inputs: Record<string, unknown>,
    opts: { idempotencyKey: string; signal?: AbortSignal },
  ): Promise<Record<string, unknown>>;
}

export interface AttachmentMeta {
  key: string;
  hash: string;
  file_name: string;
  content_type: string;
  size_bytes: number;
  /** Set when the sender removed this attachment (deletions travel when a flow applies them). */
  deleted?: boolean;
}

export interface RecordRef {
  table: string;
  sysId: string;
}

export interface AttachmentsPort {
  /** Metadata of a record's attachments: all of them, or only those not yet sent to `remoteSystem`. */
  list(record: RecordRef, mode: "all" | "deltas", remoteSystem?: string): Promise<AttachmentMeta[]>;
  /** Incoming attachments whose (hash, file name) the record does not have yet. */
  identifyNew(record: RecordRef, incoming: AttachmentMeta[]): Promise<AttachmentMeta[]>;
  /** Asks the sender to push these attachments (metadata with their synthetic keys). */
  request(
    remoteSystem: string,
    attachments: AttachmentMeta[],
    record: RecordRef,
    idempotencyKey: string,
  ): Promise<{ requested: number }>;
  /** Removes the record's attachments that match entries the sender marked deleted. */
  remove(remoteSystem: string, record: RecordRef, deleted: AttachmentMeta[]): Promise<{ removed: number }>;
  /** Move staged files received for a correlation to the target record. */
  move(remoteSystem: string, correlationId: string, record: RecordRef): Promise<{ moved: number }>;
}

export interface Ports {
  records: RecordsPort;
  correlations: CorrelationsPort;
  transport: TransportPort;
  queues: QueuesPort;
  email: EmailPort;
  log: LogPort;
  subflows: SubflowsPort;
  attachments: AttachmentsPort;
}

import { NotFoundError } from "../ports/errors";
import type {
  AttachmentMeta,
  AttachmentsPort,
  EmailMessage,
  EmailPort,
  LogLevel,
  LogPort,
  Ports,
  QueueName,
  QueuesPort,
  RecordRef,
  SubflowsPort,
  WriteMeta,
} from "../ports/ports";
import { MemoryCorrelations } from "./memory-correlations";
import { MemoryRecords } from "./memory-records";
import { MemoryTransport } from "./memory-transport";

/**
 * An in-memory implementation of every port: used by engine tests, template tests, the bench
 * and the designer's test run (which must write neither the database nor the network).
 */
export class MemoryOutbox implements EmailPort {
  readonly sent: Array<EmailMessage & { messageId: string; idempotencyKey: string }> = [];
  private readonly byKey = new Map<string, string>();

  async send(message: EmailMessage, idempotencyKey: string) {
    const seen = this.byKey.get(idempotencyKey);
    if (seen !== undefined) return { messageId: seen, duplicate: true };
    const messageId = `mail-${this.sent.length + 1}`;
    this.byKey.set(idempotencyKey, messageId);
    this.sent.push({ ...message, messageId, idempotencyKey });
    return { messageId, duplicate: false };
  }
}

export class MemoryLog implements LogPort {
  readonly lines: Array<{ level: LogLevel; message: string; data?: Record<string, unknown> }> = [];
  write(level: LogLevel, message: string, data?: Record<string, unknown>): void {
    this.lines.push({ level, message, ...(data ? { data } : {}) });
  }
}

type RowStatus = "ready" | "processing" | "processed" | "error" | "skipped";

export class MemoryQueues implements QueuesPort {
  readonly rows = new Map<string, { queue: QueueName; status: RowStatus }>();
  readonly actions: Array<{ op: "reprocess" | "skip"; queue: QueueName; ids: string[]; meta: WriteMeta }> =
    [];

  async reprocess(queue: QueueName, ids: string[], meta: WriteMeta) {
    return this.apply("reprocess", queue, ids, meta, ["error", "skipped"], "ready");
  }

  async skip(queue: QueueName, ids: string[], meta: WriteMeta) {
    return this.apply("skip", queue, ids, meta, ["ready", "error"], "skipped");
  }

  /** Safe to repeat: rows already in the target state are left alone and not counted. */
  private apply(
    op: "reprocess" | "skip",
    queue: QueueName,
    ids: string[],
    meta: WriteMeta,
    from: RowStatus[],
    to: RowStatus,
  ) {
    this.actions.push({ op, queue, ids, meta });
    let count = 0;
    for (const id of ids) {
      const row = this.rows.get(id);
      if (row?.queue === queue && from.includes(row.status)) {
        row.status = to;
        count++;
      }
    }
    return { count };
  }
}

export type SubflowImpl = (
  inputs: Record<string, unknown>,
  opts: { idempotencyKey: string },
) => Promise<Record<string, unknown>>;

export class MemorySubflows implements SubflowsPort {
  readonly flows = new Map<string, SubflowImpl>();
  readonly calls: Array<{ flow: string; inputs: Record<string, unknown>; idempotencyKey: string }> = [];

  register(name: string, impl: SubflowImpl): void {
    this.flows.set(name, impl);
  }

  async call(flow: string, inputs: Record<string, unknown>, opts: { idempotencyKey: string }) {
    const impl = this.flows.get(flow);
    if (!impl) throw new NotFoundError(`No published subflow "${flow}".`);
    this.calls.push({ flow, inputs, idempotencyKey: opts.idempotencyKey });
    return impl(inputs, opts);
  }
}

const refKey = (r: RecordRef) => `${r.table}:${r.sysId}`;

export class MemoryAttachments implements AttachmentsPort {
  readonly byRecord = new Map<string, AttachmentMeta[]>();
  /** Keys already sent per remote system, for `deltas`. */
  readonly sentTo = new Map<string, Set<string>>();
  /** Files received for a correlation, waiting to be moved. */
  readonly staged = new Map<string, AttachmentMeta[]>();
  readonly requests: Array<{
    remoteSystem: string;
    keys: string[];
    record: RecordRef;
    idempotencyKey: string;
  }> = [];

  add(record: RecordRef, meta: AttachmentMeta): void {
    const list = this.byRecord.get(refKey(record)) ?? [];
    list.push(meta);
    this.byRecord.set(refKey(record), list);
  }

  async list(record: RecordRef, mode: "all" | "deltas", remoteSystem?: string) {
    const all = this.byRecord.get(refKey(record)) ?? [];
    if (mode === "all" || remoteSystem === undefined) return [...all];
    const sent = this.sentTo.get(remoteSystem) ?? new Set<string>();
    return all.filter((a) => !sent.has(a.key));
  }

  async identifyNew(record: RecordRef, incoming: AttachmentMeta[]) {
    const have = this.byRecord.get(refKey(record)) ?? [];
    return incoming.filter(
      (a) => !a.deleted && !have.some((h) => h.hash === a.hash && h.file_name === a.file_name),
    );
  }

  async request(
    remoteSystem: string,
    attachments: AttachmentMeta[],
    record: RecordRef,
    idempotencyKey: string,
  ) {
    const keys = attachments.map((a) => a.key);
    if (!this.requests.some((r) => r.idempotencyKey === idempotencyKey)) {
      this.requests.push({ remoteSystem, keys, record, idempotencyKey });
    }
    return { requested: keys.length };
  }

  async remove(_remoteSystem: string, record: RecordRef, deleted: AttachmentMeta[]) {
    const have = this.byRecord.get(refKey(record)) ?? [];
    const kept = have.filter((h) => !deleted.some((d) => d.hash === h.hash && d.file_name === h.file_name));
    this.byRecord.set(refKey(record), kept);
    return { removed: have.length - kept.length };
  }

  async move(remoteSystem: string, correlationId: string, record: RecordRef) {
    const key = `${remoteSystem}:${correlationId}`;
    const files = this.staged.get(key) ?? [];
    for (const f of files) this.add(record, f);
    this.staged.delete(key);
    return { moved: files.length };
  }
}

export interface MemoryPorts extends Ports {
  records: MemoryRecords;
  correlations: MemoryCorrelations;
  transport: MemoryTransport;
  queues: MemoryQueues;
  email: MemoryOutbox;
  log: MemoryLog;
  subflows: MemorySubflows;
  attachments: MemoryAttachments;
}

export function createMemoryPorts(opts: { correlationPrefix?: string } = {}): MemoryPorts {
  return {
    records: new MemoryRecords(),
    correlations: new MemoryCorrelations(opts.correlationPrefix),
    transport: new MemoryTransport(),
    queues: new MemoryQueues(),
    email: new MemoryOutbox(),
    log: new MemoryLog(),
    subflows: new MemorySubflows(),
    attachments: new MemoryAttachments(),
  };
}

/** Wrap one port so every call waits `ms` first: for timeout and cancellation tests. */
export function slowPort<T extends object>(port: T, ms: number): T {
  return new Proxy(port, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (typeof v !== "function") return v;
      return async (...args: unknown[]) => {
        await new Promise((r) => setTimeout(r, ms));
        return Reflect.apply(v, target, args);
      };
    },
  });
}

import { DataError } from "../../../flows/ports/errors";
import type {
  AttachmentMeta,
  CorrelationsPort,
  LogLevel,
  Ports,
  QueuesPort,
  TransportPort,
} from "../../../flows/ports/ports";
import type { AttachmentService } from "../../attachments/attachment-service";
import type { AttachmentKeys } from "../../attachments/synthetic-keys";
import type { AttachmentReceiver } from "../../attachments/transfer/receiver";
import type { EmailSender } from "../../email/email-sender";
import type { Logger } from "../../log/logger";
import type { QueueOperations } from "../../queue/operations";
import type { SyncConfig } from "../../sync/config-store";
import type { CorrelationStore } from "../../sync/correlations";
import type { SyncClient } from "../../transport/client";
import { classifiedPorts } from "./classify";
import { type RecordsPortShared, recordsPort } from "./records-port";
import type { RunScope } from "./scope";

export interface PortDeps {
  logger: Logger;
  config: SyncConfig;
  correlations: CorrelationStore;
  client: SyncClient;
  queues: QueueOperations;
  email: EmailSender;
  attachments: AttachmentService;
  receiver: AttachmentReceiver;
  attachmentKeys: AttachmentKeys;
  /** sys_ids of the record's attachments already pushed to a remote (for "deltas"). */
  deliveredTo: (remoteId: string, recordSysId: string) => Promise<Set<string>>;
  recordsShared: RecordsPortShared;
  writeLog: (line: {
    executionId: string;
    flowId: string;
    level: LogLevel;
    message: string;
    data?: Record<string, unknown>;
  }) => void;
  /** Runs a subflow (latest published version) and returns its outputs. */
  callSubflow: (
    flow: string,
    inputs: Record<string, unknown>,
    key: string,
    scope: RunScope,
  ) => Promise<Record<string, unknown>>;
}

/** The server's implementation of every flow port (SPEC 4.2), for one run. */
export function serverPorts(deps: PortDeps, scope: RunScope): Ports {
  return classifiedPorts({
    records: recordsPort(deps.recordsShared, scope),
    correlations: correlationsPort(deps),
    transport: transportPort(deps),
    queues: queuesPort(deps, scope),
    email: {
      send: (message, key) => deps.email.send(message, key),
    },
    log: {
      write(level: LogLevel, message: string, data?: Record<string, unknown>) {
        deps.writeLog({ executionId: scope.executionId, flowId: scope.flowId, level, message, data });
        deps.logger[level]({ flow: scope.flowId, execution: scope.executionId, ...data }, message);
      },
    },
    subflows: {
      call: (flow, inputs, opts) => deps.callSubflow(flow, inputs, opts.idempotencyKey, scope),
    },
    attachments: {
      async list(record, mode, remote): Promise<AttachmentMeta[]> {
        // Keys are issued for a remote; without one there is nobody to offer them to.
        if (!remote) throw new DataError("Get Attachment Metadata needs the remote system the files are for");
        const id = remoteId(deps.config, remote);
        const delivered = mode === "deltas" ? await deps.deliveredTo(id, record.sysId) : new Set<string>();
        return (await deps.attachments.ofRecord(record.table, record.sysId))
          .filter((a) => !delivered.has(a.sys_id))
          .map((a) => ({
            key: deps.attachmentKeys.issue({
              attachmentSysId: a.sys_id,
              remoteSystemId: id,
              table: record.table,
              recordSysId: record.sysId,
            }),
            hash: a.hash,
            file_name: a.file_name,
            content_type: a.content_type,
            size_bytes: a.size_bytes,
          }));
      },
      async identifyNew(record, incoming) {
        const have = new Set(
          (await deps.attachments.ofRecord(record.table, record.sysId)).map(
            (a) => `${a.hash}/${a.file_name}`,
          ),
        );
        return incoming.filter((a) => !a.deleted && !have.has(`${a.hash}/${a.file_name}`));
      },
      async request(remote, attachments, record) {
        const result = await deps.receiver.request(remoteId(deps.config, remote), attachments, record);
        // Files our limits refuse are left out; the row still goes through, with a warning.
        for (const refusal of result.refused) scope.warnings.push(`Attachment refused: ${refusal}`);
        return { requested: result.requested };
      },
      async remove(remote, record, deleted) {
        const gone = new Set(deleted.map((d) => `${d.hash}/${d.file_name}`));
        const actor = {
          userName: scope.runAs,
          origin: "flow" as const,
          originRemote: remoteId(deps.config, remote),
        };
        let removed = 0;
        for (const a of await deps.attachments.ofRecord(record.table, record.sysId)) {
          if (!gone.has(`${a.hash}/${a.file_name}`)) continue;
          await deps.attachments.remove(a.sys_id, actor);
          removed += 1;
        }
        return { removed };
      },
      async move(remote, correlationId) {
        return deps.receiver.move(remoteId(deps.config, remote), correlationId);
      },
    },
  });
}

/** Flows may name a remote system by id or by name. */
export function remoteId(config: SyncConfig, idOrName: string): string {
  const snapshot = config.snapshot();
  if (snapshot.remotesById.has(idOrName)) return idOrName;
  for (const r of snapshot.remotesById.values()) if (r.name === idOrName) return r.id;
  throw new DataError(`Unknown remote system "${idOrName}"`, { code: "UNKNOWN_REMOTE" });
}

function correlationsPort(deps: PortDeps): CorrelationsPort {
  const { correlations: store, config } = deps;
  return {
    // remoteId() throws synchronously for an unknown remote: async keeps that a rejection
    lookupByLocalRecord: async (remote, table, sysId) =>
      store.byRecord(remoteId(config, remote), table, sysId),
    lookupByLocalId: async (remote, id) => store.byLocalId(remoteId(config, remote), id),
    lookupByRemoteId: async (remote, id) => store.byRemoteId(remoteId(config, remote), id),
    // Storage.write shares the group's commit on SQLite (the storage is built on the same GroupCommit)
    create: async (input) => store.create({ ...input, remoteSystem: remoteId(config, input.remoteSystem) }),
    updateState: async (remote, id, state) => store.updateState(remoteId(config, remote), id, state),
    setRemoteId: async (remote, id, remoteCorrelation) =>
      store.setRemoteId(remoteId(config, remote), id, remoteCorrelation),
  };
}

function transportPort(deps: PortDeps): TransportPort {
  return {
    async send(remote, message) {
      const id = remoteId(deps.config, remote);
      const result = await deps.client.send(id, {
        ...message,
        operation: message.operation as "create" | "update" | "delete",
        receiver_correlation_id: message.receiver_correlation_id ?? null,
        payload: (message.payload ?? {}) as Record<string, unknown>,
      });
      return {
        status: result.status,
        receiverCorrelationId: result.receiver_correlation_id,
        ...(result.error ? { error: result.error } : {}),
      };
    },
  };
}

function queuesPort(deps: PortDeps, scope: RunScope): QueuesPort {
  const ids = (list: string[]) => list.map(Number).filter((n) => Number.isInteger(n));
  return {
    async reprocess(queue, list) {
      return { count: (await deps.queues.reprocessRows(queue, ids(list), scope.runAs)).changed.length };
    },
    async skip(queue, list) {
      return { count: (await deps.queues.skipRows(queue, ids(list), scope.runAs)).changed.length };
    },
  };
}

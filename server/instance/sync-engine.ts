import { AlertEvaluator } from "../alerts/alert-evaluator";
import type { AttachmentService } from "../attachments/attachment-service";
import { AttachmentLimits } from "../attachments/limits";
import { AttachmentOffer } from "../attachments/offer";
import { AttachmentKeys } from "../attachments/synthetic-keys";
import type { AttachmentApiDeps } from "../attachments/transfer/handlers";
import { AttachmentReceiver } from "../attachments/transfer/receiver";
import { AttachmentSender } from "../attachments/transfer/sender";
import type { SignInGuard } from "../auth/sign-in-guard";
import type { UserDirectory } from "../auth/users";
import { installCapture } from "../capture/capture";
import type { InstanceConfig } from "../config/env";
import { watchDataDir } from "../db/storage";
import { EmailSender } from "../email/email-sender";
import { FlowStore } from "../flow-store/flow-store";
import type { ControlApiDeps } from "../initial-sync/control-api";
import { InitialSync } from "../initial-sync/initial-sync";
import { InitialSyncReceiver } from "../initial-sync/receiver";
import type { ReportApiDeps } from "../initial-sync/report-api";
import type { Logger } from "../log/logger";
import { guardedFetch } from "../net/guarded-fetch";
import { OutboundGuard } from "../net/url-guard";
import { InboundAcceptor } from "../queue/inbound/accept";
import { InboundStore } from "../queue/inbound/store";
import { InboundWorker } from "../queue/inbound/worker";
import { LiveChanges } from "../queue/live";
import { QueueOperations } from "../queue/operations";
import { OutboundEnqueuer } from "../queue/outbound/enqueue";
import { OutboundStore } from "../queue/outbound/store";
import { OutboundWorker } from "../queue/outbound/worker";
import { purgeFinishedRows } from "../queue/retention";
import type { RecordService } from "../records/record-service";
import { TryWithDraft } from "../runner/dry-run/try-with-draft";
import { ExecutionWriter } from "../runner/execution-writer";
import type { PortDeps } from "../runner/ports";
import { recordsPortShared } from "../runner/ports/records-port";
import { FlowRunner } from "../runner/runner";
import type { Storage } from "../storage";
import { all, run, sql } from "../storage";
import { validateAndActivate } from "../sync/activation";
import { SyncConfig } from "../sync/config-store";
import { CorrelationStore } from "../sync/correlations";
import { Pairing } from "../sync/pairing";
import type { SecretBox } from "../sync/secrets";
import type { TemplateSetApiDeps } from "../template-sets/peer-api";
import { TemplateSets } from "../template-sets/template-sets";
import { SyncClient } from "../transport/client";
import type { SyncApiDeps } from "../transport/handler";

export interface CoreDeps {
  cfg: InstanceConfig;
  logger: Logger;
  records: RecordService;
  storage: Storage;
  users: UserDirectory;
  signIns: SignInGuard;
  attachments: AttachmentService;
  instanceId: string;
  /** The instance's secret key (checked at start against the one its secrets were sealed with). */
  secrets: SecretBox;
}

const Q = {
  delivered: sql<{ attachment_sys_id: string }>(
    `SELECT p.attachment_sys_id FROM attachment_push p JOIN attachment a ON a.sys_id = p.attachment_sys_id
     WHERE p.remote_system_id = ? AND a.table_sys_id = ? AND p.status = 'pushed'`,
  ),
  insertLog: sql(
    "INSERT INTO flow_log (execution_id, flow_id, level, message, data, at) VALUES (?, ?, ?, ?, ?, ?)",
  ),
};

/** Builds the sync subsystem (SPEC 2–4) over the core of an instance: the composition of its parts. */
export function createSyncEngine(core: CoreDeps) {
  const { logger, records } = core;
  watchDataDir(core.cfg.dataDir); // /api/health reports a full data folder
  const { secrets } = core;
  // Every outbound connection (remotes, attachment pushes, pairing, SMTP) is checked (issue 12).
  const guard = new OutboundGuard({ allowPrivate: core.cfg.allowPrivateNetworks });
  const config = new SyncConfig(core.storage, secrets, (error) =>
    logger.error({ err: error }, "sync configuration reload failed"),
  );
  const correlations = new CorrelationStore(core.storage);
  const flows = new FlowStore(core.storage);
  const client = new SyncClient(config, guard);
  const email = new EmailSender(
    core.storage,
    logger,
    core.cfg.smtpUrl,
    `Tandem ${core.cfg.instance} <tandem@${core.cfg.instance}.localhost>`,
    guard,
  );
  const executions = new ExecutionWriter(core.storage);
  // Attachments travel by synthetic key (SPEC 3.6): limits apply on both sides of a transfer.
  const limits = new AttachmentLimits(core.cfg.maxAttachmentBytes, core.cfg.blockedExtensions);
  const attachmentKeys = new AttachmentKeys(secrets, core.cfg.attachmentKeyTtlMs);
  const offer = new AttachmentOffer(attachmentKeys, limits);
  const runAsOf = async (remoteId: string) => {
    const userId = config.snapshot().remotesById.get(remoteId)?.runAsUserId;
    return (userId && (await records.get("sys_user", userId))?.user_name) || "system";
  };
  const receiver = new AttachmentReceiver({
    storage: core.storage,
    attachments: core.attachments,
    correlations,
    client,
    limits,
    runAsOf,
  });
  const sender = new AttachmentSender({
    storage: core.storage,
    attachments: core.attachments,
    keys: attachmentKeys,
    limits,
    client,
    config,
    logger,
  });
  const outboundStore = new OutboundStore(core.storage);
  const inboundStore = new InboundStore(core.storage);

  // Workers are created below; wake functions late-bind to them. Commits that make rows ready
  // wake the workers of every process through the storage's signals (the workers listen).
  let outboundWorker: OutboundWorker | undefined;
  let inboundWorker: InboundWorker | undefined;
  const wakeOutbound = () => outboundWorker?.wake();
  const wakeInbound = () => inboundWorker?.wake();

  const enqueuer = new OutboundEnqueuer(core.storage);
  const acceptor = new InboundAcceptor(core.storage);
  const queues = new QueueOperations(core.storage);
  const portDeps: Omit<PortDeps, "callSubflow"> = {
    logger,
    config,
    correlations,
    client,
    queues,
    email,
    attachments: core.attachments,
    receiver,
    attachmentKeys,
    deliveredTo: async (remoteId, recordSysId) => {
      const rows = await core.storage.read(all(Q.delivered, remoteId, recordSysId));
      return new Set(rows.map((r) => r.attachment_sys_id));
    },
    recordsShared: recordsPortShared(records),
    writeLog: (l) => {
      const data = l.data ? JSON.stringify(l.data) : null;
      core.storage
        .write(() => run(Q.insertLog, l.executionId, l.flowId, l.level, l.message, data, Date.now()))
        .catch((error: unknown) => logger.error({ err: error }, "flow log line not written"));
    },
  };
  const runner = new FlowRunner({
    flows,
    config,
    records,
    executions,
    logger,
    flowTimeoutMs: core.cfg.flowTimeoutMs,
    ports: portDeps,
  });

  outboundWorker = new OutboundWorker({
    store: outboundStore,
    config,
    logger,
    run: (row) => runner.runOutbound(row),
    executions,
    onRemoteError: (remoteId, reason) => runner.runErrorSubflow(remoteId, reason),
  });
  // Initial sync (issue 17): job messages are classified (created, linked, conflict...) before
  // their inbound flow runs; the sender's jobs enqueue existing records into the outbound queue.
  const initialSyncReceiver = new InitialSyncReceiver(core.storage, records);
  const initialSync = new InitialSync({
    storage: core.storage,
    records,
    config,
    offer,
    callRemote: (remoteId, path, body) => client.call(remoteId, path, body),
    receiver: initialSyncReceiver,
    instance: core.cfg.instance,
    wakeOutbound: () => core.storage.signals.notify("outbound"),
    logger,
  });
  inboundWorker = new InboundWorker({
    store: inboundStore,
    config,
    logger,
    run: (row) => initialSyncReceiver.run(row, () => runner.runInbound(row)),
    executions,
    retryPolicy: {
      retryTimes: core.cfg.inboundRetryTimes,
      retryIntervalMs: core.cfg.inboundRetryIntervalMs,
      retryBackoff: "exponential",
    },
  });
  config.onChange(() => {
    wakeOutbound();
    wakeInbound();
  });
  const uninstallCapture = installCapture({
    records,
    config,
    outbound: enqueuer,
    instanceId: core.instanceId,
    attachments: offer,
  });

  // Auto-recover (ours, SPEC 2): a remote in error that allows it is probed and reactivated when healthy.
  const autoRecover = () => {
    for (const remote of config.snapshot().remotesById.values()) {
      if (remote.autoRecover && remote.outboundState === "error") {
        void validateAndActivate({ config, client, outbound: outboundStore, wake: wakeOutbound }, remote.id)
          .then((o) => o.ok && logger.info({ remote: remote.name }, "remote system recovered"))
          .catch(() => undefined);
      }
    }
  };
  let housekeeping: NodeJS.Timeout | undefined;

  const api: SyncApiDeps = {
    config,
    users: core.users,
    signIns: core.signIns,
    acceptor,
    logger,
    maxBodyBytes: core.cfg.maxBodyBytes,
    maxAttachmentBytes: core.cfg.maxAttachmentBytes,
    backlogLimit: 50_000,
    backlog: () => inboundStore.backlog(),
    instanceName: core.cfg.instance,
  };

  const activate = (remoteId: string) =>
    validateAndActivate({ config, client, outbound: outboundStore, wake: wakeOutbound }, remoteId);
  const pairing = new Pairing({
    storage: core.storage,
    config,
    users: core.users,
    self: { instance: core.cfg.instance, instanceId: core.instanceId, publicUrl: core.cfg.publicUrl },
    validateAndActivate: activate,
    guard,
    fetch: guardedFetch(guard),
  });
  const templateSets = new TemplateSets({
    storage: core.storage,
    config,
    flows,
    instance: core.cfg.instance,
    callRemote: (remoteId, path, body) => client.call(remoteId, path, body),
  });
  const live = new LiveChanges(core.storage, 400, (error) => logger.warn({ err: error }, "live changes"));
  const alerts = new AlertEvaluator({
    storage: core.storage,
    config,
    logger,
    instance: core.cfg.instance,
    sendEmail: (message, key) => email.send(message, key),
    recipients: async () =>
      (await records.list("sys_user", { query: "rolesLIKEadmin^emailISNOTEMPTY^active=true" })).rows
        .map((r) => r.email ?? "")
        .filter((e) => e !== ""),
  });
  let alertTimer: NodeJS.Timeout | undefined;
  const tryWithDraft = new TryWithDraft({
    storage: core.storage,
    flows,
    config,
    runner,
    executions,
    queues,
    ports: portDeps,
  });

  return {
    config,
    guard,
    pairing,
    live,
    alerts,
    tryWithDraft,
    correlations,
    flows,
    client,
    email,
    queues,
    runner,
    outboundStore,
    inboundStore,
    api,
    attachmentApi: { ...api, sender, receiver } satisfies AttachmentApiDeps,
    initialSync,
    initialSyncApi: { ...api, initialSync: initialSyncReceiver } satisfies ReportApiDeps,
    initialSyncControlApi: { ...api, initialSync } satisfies ControlApiDeps,
    templateSets,
    templateSetApi: { ...api, templateSets } satisfies TemplateSetApiDeps,
    validateAndActivate: activate,
    start(): void {
      for (const worker of [outboundWorker, inboundWorker])
        worker
          ?.start()
          .catch((error: unknown) => logger.error({ err: error }, "a queue worker did not start"));
      sender.start();
      initialSync.start();
      housekeeping = setInterval(() => {
        purgeFinishedRows(core.storage, core.cfg.queueRetentionMs).then(
          (purged) => {
            if (purged.outbound + purged.inbound + purged.keys > 0)
              logger.info(purged, "purged finished queue rows");
          },
          (error: unknown) => logger.error({ err: error }, "queue purge failed"),
        );
        autoRecover();
        core.attachments
          .sweepInterruptedUploads()
          .catch((error: unknown) => logger.error({ err: error }, "attachment upload sweep failed"));
      }, 30_000);
      housekeeping.unref();
      alertTimer = setInterval(() => {
        alerts.evaluate().catch((error: unknown) => logger.error({ err: error }, "alert evaluation failed"));
      }, core.cfg.alertIntervalMs);
      alertTimer.unref();
    },
    async stop(): Promise<void> {
      if (housekeeping) clearInterval(housekeeping);
      if (alertTimer) clearInterval(alertTimer);
      live.stop();
      await Promise.allSettled([
        initialSync.stop(),
        outboundWorker?.stop(),
        inboundWorker?.stop(),
        sender.stop(),
      ]);
      await executions.flush();
      await acceptor.close();
      uninstallCapture();
      await client.close();
      email.close();
    },
  };
}

export type SyncEngine = ReturnType<typeof createSyncEngine>;

import { AttachmentService } from "../attachments/attachment-service";
import { contentStoreFor } from "../attachments/content-stores";
import { SessionStore } from "../auth/sessions";
import { SignInGuard } from "../auth/sign-in-guard";
import { SignInThrottle } from "../auth/throttle";
import { UserDirectory } from "../auth/users";
import { type InstanceConfig, config as readConfig } from "../config/env";
import { openDatabase } from "../db/client";
import { GroupCommit } from "../db/group-commit";
import { openPostgres } from "../db/postgres";
import { createLogger, type Logger } from "../log/logger";
import { parseCidrList } from "../net/client-address";
import { metrics } from "../observability/metrics";
import { bindToActiveContext, startTracing, stopTracing } from "../observability/tracing";
import { installQueueGauges } from "../queue/queue-gauges";
import { RecordService } from "../records/record-service";
import type { Storage } from "../storage";
import { PgStorage } from "../storage/postgres";
import { SqliteStorage } from "../storage/sqlite";
import { SecretBox } from "../sync/secrets";
import { builtInTables } from "../tables/definitions";
import { TableRegistry } from "../tables/registry";
import { newSysId } from "../util/ids";
import { activateDemoPairing } from "./demo-activation";
import { demoPairingsFromEnv, seedDemoSync } from "./demo-sync-seed";
import { checkSecretKeyPlan, instanceIdPlan } from "./instance-settings";
import { seedAdmin, seedDemo } from "./seed";
import { createSyncEngine, type SyncEngine } from "./sync-engine";

/** A background worker started with the instance and stopped, drained, at shutdown. */
export interface Worker {
  name: string;
  stop(): Promise<void>;
}

export interface Instance {
  config: InstanceConfig;
  /** Stable id of this instance (sys_id style), created with its database. */
  instanceId: string;
  version: string;
  logger: Logger;
  registry: TableRegistry;
  records: RecordService;
  /** The instance's database (SQLite or PostgreSQL): every store and service runs its plans here. */
  storage: Storage;
  attachments: AttachmentService;
  users: UserDirectory;
  /** Every password check (form and HTTP Basic), throttled. */
  signIns: SignInGuard;
  sessions: SessionStore;
  sync: SyncEngine;
  workers: Worker[];
  startedAt: Date;
}

export const version = "0.1.0";

/** Builds every collaborator of an instance from its configuration: the composition root. */
export async function createInstance(cfg: InstanceConfig): Promise<Instance> {
  const logger = createLogger(cfg.instance, cfg.logLevel);
  const secrets = SecretBox.forInstance(cfg.dataDir, cfg.databaseUrl !== undefined);
  const keyHint = process.env.TANDEM_SECRET_KEY ? "TANDEM_SECRET_KEY" : `the key file in ${cfg.dataDir}`;
  const storage = await openStorage(cfg, logger);
  const registry = new TableRegistry(storage, (error) =>
    logger.warn({ err: error }, "table registry reload"),
  );
  await registry.install(builtInTables);
  const records = new RecordService(storage, registry);
  const users = new UserDirectory(storage, records);
  const sessions = new SessionStore(storage, cfg.sessionHours * 3_600_000);
  const trustedProxies = cfg.trustedProxies
    ? parseCidrList(cfg.trustedProxies, "TANDEM_TRUSTED_PROXIES")
    : null;
  const signIns = new SignInGuard({
    storage,
    users,
    throttle: new SignInThrottle(cfg.signInLimits),
    trustedProxies,
    logger,
  });
  const attachments = new AttachmentService(
    records,
    contentStoreFor(storage, cfg.attachmentsDir), // in the database on PostgreSQL (every process), files on SQLite
    cfg.maxAttachmentBytes,
  );

  await storage.transaction(() => checkSecretKeyPlan(secrets, keyHint));
  const instanceId = await storage.transaction(() => instanceIdPlan(newSysId()));
  // Before anything writes: spans of the seed and the first requests belong to the trace too.
  await startTracing({
    endpoint: cfg.otlpEndpoint,
    serviceName: cfg.instance,
    serviceVersion: version,
    instanceId,
    sampleRatio: cfg.traceSampleRatio,
  });
  const sync = createSyncEngine({
    cfg,
    logger,
    records,
    storage,
    users,
    signIns,
    attachments,
    instanceId,
    secrets,
  });

  await sync.config.load(); // hot paths read the snapshot synchronously from here on
  await seedAdmin(users, cfg.adminPassword, cfg.instance);
  const pairings = cfg.seed === "demo" ? demoPairingsFromEnv(cfg.instance) : [];
  if (cfg.seed === "demo") await seedDemo({ records, users, instance: cfg.instance });
  for (const pairing of pairings) await seedDemoSync({ sync, records, users, pairing });

  installQueueGauges({ storage, config: sync.config });
  sync.start();
  if (pairings.length > 0) activateDemoPairing(sync, logger);
  const instance: Instance = {
    config: cfg,
    instanceId,
    version,
    logger,
    registry,
    records,
    storage,
    attachments,
    users,
    signIns,
    sessions,
    sync,
    workers: [{ name: "sync", stop: () => sync.stop() }],
    startedAt: new Date(),
  };
  logger.info({ port: cfg.port, dataDir: cfg.dataDir }, "instance ready");
  return instance;
}

/**
 * The instance's database: PostgreSQL when TANDEM_DATABASE_URL is set (any number of processes
 * share it; migrations are applied under an advisory lock), otherwise its SQLite file (one
 * process; writes of one turn share a commit).
 */
async function openStorage(cfg: InstanceConfig, logger: Logger) {
  if (cfg.databaseUrl) {
    const { pool } = await openPostgres(cfg.databaseUrl);
    const storage = new PgStorage(pool, (error) => logger.warn({ err: error }, "database signals"));
    await storage.signals.started();
    return storage;
  }
  const db = openDatabase({ file: cfg.dbFile });
  const writes = new GroupCommit(db.$client, {
    bind: bindToActiveContext,
    observe: (ms) =>
      metrics()
        .sqliteTransaction.labels("grouped_writes")
        .observe(ms / 1000),
  });
  return new SqliteStorage(db.$client, { group: writes });
}

/** Stops workers (each finishes what it holds), then closes the database. */
export async function stopInstance(instance: Instance): Promise<void> {
  await Promise.allSettled(instance.workers.map((w) => w.stop()));
  await stopTracing(); // exports the spans still buffered
  await instance.storage.close();
  instance.logger.info("instance stopped");
}

// Next.js may evaluate server modules in more than one bundle (instrumentation, route handlers);
// the instance lives on globalThis so every bundle shares the one database connection.
const slot = Symbol.for("tandem.instance");
type Slot = { [slot]?: Promise<Instance> };

/** The instance of this process, booted on first use. */
export function instance(): Promise<Instance> {
  const g = globalThis as Slot;
  g[slot] ??= createInstance(readConfig());
  return g[slot];
}

/** The instance if it finished booting, for shutdown. */
export function bootedInstance(): Promise<Instance> | undefined {
  return (globalThis as Slot)[slot];
}

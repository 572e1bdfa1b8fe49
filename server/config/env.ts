import path from "node:path";
import { z } from "zod";

// Every setting of an instance comes from the environment (documented in the README).
const envSchema = z.object({
  TANDEM_INSTANCE: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,39}$/, "TANDEM_INSTANCE must be lower-case letters, digits or dashes")
    .default("alpha"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  TANDEM_DATA_DIR: z.string().optional(),
  TANDEM_DATABASE_URL: z.string().optional(),
  TANDEM_ADMIN_PASSWORD: z.string().min(1).default("admin"),
  TANDEM_PUBLIC_URL: z.string().url().optional(),
  TANDEM_SEED: z.enum(["demo", "empty"]).default("demo"),
  TANDEM_MAX_ATTACHMENT_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * 1024 * 1024),
  TANDEM_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(2 * 1024 * 1024),
  TANDEM_SESSION_HOURS: z.coerce.number().positive().default(12),
  TANDEM_LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "silent"]).default("info"),
  SMTP_URL: z.string().optional(),
  TANDEM_QUEUE_RETENTION_DAYS: z.coerce.number().positive().default(7),
  TANDEM_ATTACHMENT_BLOCKED_EXTENSIONS: z.string().default("exe,bat,cmd,com,scr,msi,dll,vbs,js,jar,ps1,sh"),
  TANDEM_ATTACHMENT_KEY_HOURS: z.coerce.number().positive().default(24),
  TANDEM_FLOW_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  TANDEM_INBOUND_RETRY_TIMES: z.coerce.number().int().min(0).default(10),
  TANDEM_INBOUND_RETRY_INTERVAL_MS: z.coerce.number().int().positive().default(1000),
  TANDEM_ALERT_INTERVAL_MS: z.coerce.number().int().min(100).default(15_000),
  // Security (README "Security"): sign-in throttling, proxies we believe, outbound reach.
  TANDEM_SIGNIN_USER_FAILURES: z.coerce.number().int().positive().default(10),
  TANDEM_SIGNIN_ADDRESS_FAILURES: z.coerce.number().int().positive().default(50),
  TANDEM_SIGNIN_WINDOW_SECONDS: z.coerce.number().positive().default(300),
  TANDEM_TRUSTED_PROXIES: z.string().default(""),
  TANDEM_ALLOW_PRIVATE_NETWORKS: z.string().default(""),
  TANDEM_METRICS: z.enum(["on", "off"]).default("on"),
  TANDEM_DIRECT_ROUTES: z.enum(["on", "off"]).default("on"),
  TANDEM_METRICS_TOKEN: z.string().min(16, "TANDEM_METRICS_TOKEN must be at least 16 characters").optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1),
  TANDEM_TRACE_URL: z
    .string()
    .url()
    .refine((u) => u.includes("{traceId}"), "TANDEM_TRACE_URL must contain {traceId}")
    .optional(),
});

export interface InstanceConfig {
  instance: string;
  port: number;
  dataDir: string;
  dbFile: string;
  /** PostgreSQL (issue 13) instead of the SQLite file: shared by every process of the instance. */
  databaseUrl: string | undefined;
  attachmentsDir: string;
  adminPassword: string;
  publicUrl: string;
  seed: "demo" | "empty";
  maxAttachmentBytes: number;
  maxBodyBytes: number;
  sessionHours: number;
  logLevel: string;
  smtpUrl: string | undefined;
  queueRetentionMs: number;
  blockedExtensions: string[];
  attachmentKeyTtlMs: number;
  /** Wall-clock limit of one flow run (time the process was frozen is not counted). */
  flowTimeoutMs: number;
  /** Retries of transient inbound failures, exponential backoff with jitter from the interval. */
  inboundRetryTimes: number;
  inboundRetryIntervalMs: number;
  /** How often remote-system alerts are evaluated (issue 15). */
  alertIntervalMs: number;
  signInLimits: { userFailures: number; addressFailures: number; windowMs: number };
  /** Comma-separated IPs/CIDRs whose x-forwarded-for / x-forwarded-proto we believe. */
  trustedProxies: string;
  /** "" (none), "1"/"true" (all private ranges), or comma-separated CIDRs. */
  allowPrivateNetworks: string;
  /** GET /metrics answers (on) or 404s (off); a bearer token, or an admin's credentials without one. */
  metrics: { enabled: boolean; token: string | undefined };
  /** Table API record calls and sync messages answered from node:http, before Next routes them (server/instance/direct-routes.ts). */
  directRoutes: boolean;
  /** OTLP/HTTP endpoint of the trace collector; tracing is off without it. */
  otlpEndpoint: string | undefined;
  /** Share of record journeys traced, decided where a trace starts (1 = every one). */
  traceSampleRatio: number;
  /** Link from a flow execution to its trace in a viewer, with {traceId} in it. */
  traceUrl: string | undefined;
}

let cached: InstanceConfig | undefined;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): InstanceConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(
    /*turbopackIgnore: true*/ e.TANDEM_DATA_DIR ?? path.join("data", e.TANDEM_INSTANCE),
  );
  return {
    instance: e.TANDEM_INSTANCE,
    port: e.PORT,
    dataDir,
    dbFile: path.join(dataDir, "tandem.db"),
    databaseUrl: e.TANDEM_DATABASE_URL || undefined,
    attachmentsDir: path.join(dataDir, "attachments"),
    adminPassword: e.TANDEM_ADMIN_PASSWORD,
    publicUrl: e.TANDEM_PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    seed: e.TANDEM_SEED,
    maxAttachmentBytes: e.TANDEM_MAX_ATTACHMENT_BYTES,
    maxBodyBytes: e.TANDEM_MAX_BODY_BYTES,
    sessionHours: e.TANDEM_SESSION_HOURS,
    logLevel: e.TANDEM_LOG_LEVEL,
    smtpUrl: e.SMTP_URL,
    queueRetentionMs: e.TANDEM_QUEUE_RETENTION_DAYS * 86_400_000,
    alertIntervalMs: e.TANDEM_ALERT_INTERVAL_MS,
    blockedExtensions: e.TANDEM_ATTACHMENT_BLOCKED_EXTENSIONS.split(",")
      .map((x) => x.trim().toLowerCase().replace(/^\./, ""))
      .filter((x) => x !== ""),
    attachmentKeyTtlMs: e.TANDEM_ATTACHMENT_KEY_HOURS * 3_600_000,
    flowTimeoutMs: e.TANDEM_FLOW_TIMEOUT_MS,
    inboundRetryTimes: e.TANDEM_INBOUND_RETRY_TIMES,
    inboundRetryIntervalMs: e.TANDEM_INBOUND_RETRY_INTERVAL_MS,
    signInLimits: {
      userFailures: e.TANDEM_SIGNIN_USER_FAILURES,
      addressFailures: e.TANDEM_SIGNIN_ADDRESS_FAILURES,
      windowMs: e.TANDEM_SIGNIN_WINDOW_SECONDS * 1000,
    },
    trustedProxies: e.TANDEM_TRUSTED_PROXIES,
    allowPrivateNetworks: e.TANDEM_ALLOW_PRIVATE_NETWORKS,
    metrics: { enabled: e.TANDEM_METRICS === "on", token: e.TANDEM_METRICS_TOKEN || undefined },
    directRoutes: e.TANDEM_DIRECT_ROUTES === "on",
    otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT || undefined,
    traceSampleRatio: e.OTEL_TRACES_SAMPLER_ARG,
    traceUrl: e.TANDEM_TRACE_URL || undefined,
  };
}

/** The configuration of this process, read once. */
export function config(): InstanceConfig {
  cached ??= loadConfig();
  return cached;
}

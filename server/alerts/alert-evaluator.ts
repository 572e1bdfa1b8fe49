import type { Db } from "../db/client";
import type { OutgoingEmail } from "../email/email-sender";
import type { Logger } from "../log/logger";
import type { RemoteSystemRow, SyncConfig } from "../sync/config-store";

// Remote-system alerts (issue 15): the age of the oldest ready row and the error rate of the
// last hour, against thresholds set on the remote system. State lives in `remote_alert`, so a
// firing alert sends ONE email per firing (and one "cleared" email), across restarts too: the
// email's idempotency key is derived from the firing's start, and the sender dedups by it.

export type AlertKind = "queue_age" | "error_rate";

export interface AlertRow {
  remoteSystemId: string;
  remoteName: string;
  kind: AlertKind;
  state: "firing" | "cleared";
  value: number;
  threshold: number;
  message: string;
  firedAt: number;
  clearedAt: number | null;
  notifiedAt: number | null;
}

export interface AlertDeps {
  db: Db;
  config: SyncConfig;
  logger: Logger;
  instance: string;
  /** Sends through the configured transport (SMTP_URL or the outbox); dedups by key. */
  sendEmail: (email: OutgoingEmail, idempotencyKey: string) => Promise<unknown>;
  /** Who gets alerts: the sync admins' addresses. */
  recipients: () => string[];
  now?: () => number;
}

/** An error rate is only meaningful over enough rows: below this many finished rows it is not judged. */
export const MIN_ROWS_FOR_RATE = 5;
const HOUR_MS = 3_600_000;

interface StateRow {
  remote_system_id: string;
  kind: AlertKind;
  state: "firing" | "cleared";
  value: number;
  threshold: number;
  message: string;
  fired_at: number;
  cleared_at: number | null;
  notified_at: number | null;
  clear_notified_at: number | null;
}

export class AlertEvaluator {
  private readonly sql;
  private running = false;

  constructor(private readonly deps: AlertDeps) {
    const c = deps.db.$client;
    // Each look-up walks a claim index and stops at the first row: cheap at any queue size.
    this.sql = {
      oldestOutbound: c.prepare<[string], { t: number }>(
        "SELECT created_at AS t FROM outbound_queue WHERE remote_system_id = ? AND status = 'ready' ORDER BY id LIMIT 1",
      ),
      oldestInbound: c.prepare<[string], { t: number }>(
        "SELECT received_at AS t FROM inbound_queue WHERE remote_system_id = ? AND status = 'ready' ORDER BY sequence LIMIT 1",
      ),
      rate: c.prepare<[string, number, string, number], { errors: number; total: number }>(
        `SELECT total(e) AS errors, count(*) AS total FROM (
           SELECT status = 'error' AS e FROM outbound_queue WHERE remote_system_id = ? AND finished_at >= ? AND status IN ('processed', 'error')
           UNION ALL
           SELECT status = 'error' AS e FROM inbound_queue WHERE remote_system_id = ? AND finished_at >= ? AND status IN ('processed', 'error'))`,
      ),
      get: c.prepare<[string, string], StateRow>(
        "SELECT * FROM remote_alert WHERE remote_system_id = ? AND kind = ?",
      ),
      all: c.prepare<[], StateRow>("SELECT * FROM remote_alert ORDER BY fired_at DESC"),
      fire: c.prepare(
        `INSERT INTO remote_alert (remote_system_id, kind, state, value, threshold, message, fired_at, cleared_at, notified_at, clear_notified_at, updated_at)
         VALUES (@remote, @kind, 'firing', @value, @threshold, @message, @now, NULL, NULL, NULL, @now)
         ON CONFLICT (remote_system_id, kind) DO UPDATE SET state = 'firing', value = @value, threshold = @threshold,
           message = @message, fired_at = @now, cleared_at = NULL, notified_at = NULL, clear_notified_at = NULL, updated_at = @now`,
      ),
      measure: c.prepare(
        "UPDATE remote_alert SET value = @value, threshold = @threshold, message = @message, updated_at = @now WHERE remote_system_id = @remote AND kind = @kind",
      ),
      clear: c.prepare(
        "UPDATE remote_alert SET state = 'cleared', value = @value, cleared_at = @now, updated_at = @now WHERE remote_system_id = @remote AND kind = @kind",
      ),
      notified: c.prepare("UPDATE remote_alert SET notified_at = ? WHERE remote_system_id = ? AND kind = ?"),
      clearNotified: c.prepare(
        "UPDATE remote_alert SET clear_notified_at = ? WHERE remote_system_id = ? AND kind = ?",
      ),
    };
  }

  /** Alerts as the dashboard and the designer banner show them (firing first). */
  list(): AlertRow[] {
    const remotes = this.deps.config.snapshot().remotesById;
    return this.sql.all
      .all()
      .filter((r) => remotes.has(r.remote_system_id)) // a removed remote's alert no longer applies
      .map((r) => ({
        remoteSystemId: r.remote_system_id,
        remoteName: remotes.get(r.remote_system_id)?.name ?? r.remote_system_id,
        kind: r.kind,
        state: r.state,
        value: r.value,
        threshold: r.threshold,
        message: r.message,
        firedAt: r.fired_at,
        clearedAt: r.cleared_at,
        notifiedAt: r.notified_at,
      }))
      .sort((a, b) => Number(b.state === "firing") - Number(a.state === "firing"));
  }

  /** One pass over every remote system; never overlaps itself. */
  async evaluate(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (const remote of this.deps.config.snapshot().remotesById.values()) {
        await this.check(remote, "queue_age", remote.alertQueueAgeMs);
        await this.check(remote, "error_rate", remote.alertErrorRatePct);
      }
    } finally {
      this.running = false;
    }
  }

  private measure(remote: RemoteSystemRow, kind: AlertKind, now: number): { value: number; judged: boolean } {
    if (kind === "queue_age") {
      const oldest = Math.min(
        this.sql.oldestOutbound.get(remote.id)?.t ?? now,
        this.sql.oldestInbound.get(remote.id)?.t ?? now,
      );
      return { value: Math.max(0, now - oldest), judged: true };
    }
    const since = now - HOUR_MS;
    const r = this.sql.rate.get(remote.id, since, remote.id, since);
    const total = r?.total ?? 0;
    if (total < MIN_ROWS_FOR_RATE) return { value: 0, judged: false };
    return { value: Math.round(((r?.errors ?? 0) * 100) / total), judged: true };
  }

  private async check(remote: RemoteSystemRow, kind: AlertKind, threshold: number | null): Promise<void> {
    const now = this.deps.now?.() ?? Date.now();
    const prior = this.sql.get.get(remote.id, kind);
    const { value, judged } =
      threshold === null ? { value: 0, judged: false } : this.measure(remote, kind, now);
    const crossing = threshold !== null && judged && value > threshold;
    const params = {
      remote: remote.id,
      kind,
      value,
      threshold: threshold ?? 0,
      message: alertMessage(remote.name, kind, value, threshold ?? 0),
      now,
    };
    if (crossing) {
      if (prior?.state !== "firing") {
        this.sql.fire.run(params);
        this.deps.logger.warn({ remote: remote.name, kind, value, threshold }, "alert fired");
      } else this.sql.measure.run(params);
      const row = this.sql.get.get(remote.id, kind);
      if (row && row.notified_at === null) await this.notify(row, remote.name, "fired");
      return;
    }
    if (prior?.state === "firing") {
      this.sql.clear.run(params);
      this.deps.logger.info({ remote: remote.name, kind }, "alert cleared");
    }
    const row = prior ? this.sql.get.get(remote.id, kind) : undefined;
    // The "cleared" email only follows a firing whose email went out.
    if (row?.state === "cleared" && row.notified_at !== null && row.clear_notified_at === null)
      await this.notify(row, remote.name, "cleared");
  }

  private async notify(row: StateRow, remoteName: string, what: "fired" | "cleared"): Promise<void> {
    const to = this.deps.recipients();
    const now = this.deps.now?.() ?? Date.now();
    const mark = what === "fired" ? this.sql.notified : this.sql.clearNotified;
    if (to.length === 0) {
      mark.run(now, row.remote_system_id, row.kind); // nobody to tell; do not retry forever
      return;
    }
    const label = row.kind === "queue_age" ? "queue age" : "error rate";
    const subject =
      what === "fired"
        ? `[Tandem ${this.deps.instance}] Alert: ${remoteName} ${label}`
        : `[Tandem ${this.deps.instance}] Cleared: ${remoteName} ${label}`;
    const text =
      what === "fired"
        ? `${row.message}\n\nSince ${new Date(row.fired_at).toISOString()}. You get one email until it clears.`
        : `The ${label} alert of ${remoteName} cleared at ${new Date(row.cleared_at ?? now).toISOString()}.`;
    try {
      await this.deps.sendEmail(
        { to, subject, text },
        `alert:${what}:${row.remote_system_id}:${row.kind}:${row.fired_at}`,
      );
      mark.run(now, row.remote_system_id, row.kind);
    } catch (error) {
      // Not marked: the next pass tries again (the sender's key keeps it to one delivery).
      this.deps.logger.error({ err: error, remote: remoteName, kind: row.kind }, "alert email failed");
    }
  }
}

function alertMessage(remote: string, kind: AlertKind, value: number, threshold: number): string {
  if (kind === "queue_age")
    return `The oldest ready row of ${remote} has waited ${seconds(value)} (threshold ${seconds(threshold)}).`;
  return `${value}% of ${remote}'s rows in the last hour failed (threshold ${threshold}%).`;
}

function seconds(ms: number): string {
  return ms >= 120_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`;
}

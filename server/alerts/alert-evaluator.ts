import type { OutgoingEmail } from "../email/email-sender";
import type { Logger } from "../log/logger";
import { all, get, type Plan, run, type Storage, sql } from "../storage";
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
  storage: Storage;
  /** The remote systems and their thresholds. */
  config: Pick<SyncConfig, "snapshot">;
  logger: Logger;
  instance: string;
  /** Sends through the configured transport (SMTP_URL or the outbox); dedups by key. */
  sendEmail: (email: OutgoingEmail, idempotencyKey: string) => Promise<unknown>;
  /** Who gets alerts: the sync admins' addresses. */
  recipients: () => Promise<string[]>;
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

const Q = {
  // Each look-up walks a claim index and stops at the first row: cheap at any queue size.
  oldestOutbound: sql<{ t: number }>(
    "SELECT created_at AS t FROM outbound_queue WHERE remote_system_id = ? AND status = 'ready' AND status <> 'processed' ORDER BY id LIMIT 1",
  ),
  oldestInbound: sql<{ t: number }>(
    "SELECT received_at AS t FROM inbound_queue WHERE remote_system_id = ? AND status = 'ready' AND status <> 'processed' ORDER BY sequence LIMIT 1",
  ),
  // one text for both dialects: no SQLite total(), no boolean arithmetic, the derived table named
  rate: sql<{ errors: number; total: number }>(
    `SELECT coalesce(sum(e), 0) AS errors, count(*) AS total FROM (
       SELECT CASE WHEN status = 'error' THEN 1 ELSE 0 END AS e FROM outbound_queue
        WHERE remote_system_id = ? AND finished_at >= ? AND status IN ('processed', 'error')
       UNION ALL
       SELECT CASE WHEN status = 'error' THEN 1 ELSE 0 END AS e FROM inbound_queue
        WHERE remote_system_id = ? AND finished_at >= ? AND status IN ('processed', 'error')) AS finished`,
  ),
  get: sql<StateRow>("SELECT * FROM remote_alert WHERE remote_system_id = ? AND kind = ?"),
  all: sql<StateRow>("SELECT * FROM remote_alert ORDER BY fired_at DESC"),
  fire: sql(
    `INSERT INTO remote_alert (remote_system_id, kind, state, value, threshold, message, fired_at, cleared_at, notified_at,
       clear_notified_at, updated_at)
     VALUES (?, ?, 'firing', ?, ?, ?, ?, NULL, NULL, NULL, ?)
     ON CONFLICT (remote_system_id, kind) DO UPDATE SET state = 'firing', value = excluded.value,
       threshold = excluded.threshold, message = excluded.message, fired_at = excluded.fired_at, cleared_at = NULL,
       notified_at = NULL, clear_notified_at = NULL, updated_at = excluded.updated_at`,
  ),
  measure: sql(
    "UPDATE remote_alert SET value = ?, threshold = ?, message = ?, updated_at = ? WHERE remote_system_id = ? AND kind = ?",
  ),
  clear: sql(
    "UPDATE remote_alert SET state = 'cleared', value = ?, cleared_at = ?, updated_at = ? WHERE remote_system_id = ? AND kind = ?",
  ),
  notified: sql("UPDATE remote_alert SET notified_at = ? WHERE remote_system_id = ? AND kind = ?"),
  clearNotified: sql("UPDATE remote_alert SET clear_notified_at = ? WHERE remote_system_id = ? AND kind = ?"),
};

/** One pass's figure for an alert of a remote. */
export interface AlertMeasure {
  remote: string;
  kind: AlertKind;
  value: number;
  threshold: number;
  message: string;
  now: number;
}

/** The alert state's work as plans (server/storage/plan.ts), one text for both dialects. */
export const alertPlans = {
  /** The alert's state and the figure it is judged on; `threshold` null: not judged. */
  *observe(
    remoteId: string,
    kind: AlertKind,
    threshold: number | null,
    now: number,
  ): Plan<{ prior: StateRow | undefined; value: number; judged: boolean }> {
    const prior = yield* get(Q.get, remoteId, kind);
    if (threshold === null) return { prior, value: 0, judged: false };
    if (kind === "queue_age") {
      const outbound = (yield* get(Q.oldestOutbound, remoteId))?.t ?? now;
      const inbound = (yield* get(Q.oldestInbound, remoteId))?.t ?? now;
      return { prior, value: Math.max(0, now - Math.min(outbound, inbound)), judged: true };
    }
    const since = now - HOUR_MS;
    const r = yield* get(Q.rate, remoteId, since, remoteId, since);
    const total = r?.total ?? 0;
    if (total < MIN_ROWS_FOR_RATE) return { prior, value: 0, judged: false };
    return { prior, value: Math.round(((r?.errors ?? 0) * 100) / total), judged: true };
  },

  /** Starts a firing (a new one after a clear: its emails are owed again). */
  *fire(m: AlertMeasure): Plan<StateRow | undefined> {
    yield* run(Q.fire, m.remote, m.kind, m.value, m.threshold, m.message, m.now, m.now);
    return yield* get(Q.get, m.remote, m.kind);
  },

  /** A firing alert's latest figure. */
  *remeasure(m: AlertMeasure): Plan<StateRow | undefined> {
    yield* run(Q.measure, m.value, m.threshold, m.message, m.now, m.remote, m.kind);
    return yield* get(Q.get, m.remote, m.kind);
  },

  *clear(m: AlertMeasure): Plan<StateRow | undefined> {
    yield* run(Q.clear, m.value, m.now, m.now, m.remote, m.kind);
    return yield* get(Q.get, m.remote, m.kind);
  },

  /** The email of the firing (or of its clearing) went out, or there was nobody to tell. */
  *notified(remoteId: string, kind: AlertKind, what: "fired" | "cleared", now: number): Plan<void> {
    yield* run(what === "fired" ? Q.notified : Q.clearNotified, now, remoteId, kind);
  },

  *all(): Plan<StateRow[]> {
    return yield* all(Q.all);
  },
};

export class AlertEvaluator {
  private running = false;

  constructor(private readonly deps: AlertDeps) {}

  /** Alerts as the dashboard and the designer banner show them (firing first). */
  async list(): Promise<AlertRow[]> {
    const rows = await this.deps.storage.read(alertPlans.all());
    const remotes = this.deps.config.snapshot().remotesById;
    return rows
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

  private async check(remote: RemoteSystemRow, kind: AlertKind, threshold: number | null): Promise<void> {
    const { storage } = this.deps;
    const now = this.deps.now?.() ?? Date.now();
    // reads only; a pass that changes nothing writes nothing
    const { prior, value, judged } = await storage.read(alertPlans.observe(remote.id, kind, threshold, now));
    const crossing = threshold !== null && judged && value > threshold;
    const m: AlertMeasure = {
      remote: remote.id,
      kind,
      value,
      threshold: threshold ?? 0,
      message: alertMessage(remote.name, kind, value, threshold ?? 0),
      now,
    };
    if (crossing) {
      const fires = prior?.state !== "firing";
      const row = await storage.write(() => (fires ? alertPlans.fire(m) : alertPlans.remeasure(m)));
      if (fires) this.deps.logger.warn({ remote: remote.name, kind, value, threshold }, "alert fired");
      if (row && row.notified_at === null) await this.notify(row, remote.name, "fired");
      return;
    }
    let row = prior;
    if (prior?.state === "firing") {
      row = await storage.write(() => alertPlans.clear(m));
      this.deps.logger.info({ remote: remote.name, kind }, "alert cleared");
    }
    // The "cleared" email only follows a firing whose email went out.
    if (row?.state === "cleared" && row.notified_at !== null && row.clear_notified_at === null)
      await this.notify(row, remote.name, "cleared");
  }

  private async notify(row: StateRow, remoteName: string, what: "fired" | "cleared"): Promise<void> {
    const to = await this.deps.recipients();
    const now = this.deps.now?.() ?? Date.now();
    const mark = () =>
      this.deps.storage.write(() => alertPlans.notified(row.remote_system_id, row.kind, what, now));
    if (to.length === 0) {
      await mark(); // nobody to tell; do not retry forever
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
      await mark();
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

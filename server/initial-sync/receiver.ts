import { z } from "zod";
import type { InboundRow } from "../queue/inbound/store";
import type { InboundOutcome } from "../queue/inbound/worker";
import { decodePayload, plainPayloadIncludes } from "../queue/payload-codec";
import type { RecordService } from "../records/record-service";
import { all, get, type Plan, run, type Storage, sql } from "../storage";
import { correlationPlans } from "../sync/correlations";
import type { JobReport, RemoteProgress, ReportItem } from "./jobs";

// The receiver's side of an initial sync (issue 17). A job message carries `initial_sync` in its
// payload: the job, and for "link by field" the field, its value on the sender and the table.
// Before the inbound flow runs, the message is classified once, in a transaction of its own:
//   - its record is already correlated with the sender's → unchanged (the flow updates it);
//   - link, exactly one local record has the value, not linked to another record of the sender →
//     the correlation is recorded here and the flow applies the fields by the field-clock rules
//     (its Look Up Correlation finds the link): linked;
//   - link, several records match (or the one match was linked by this job to another record)
//     → conflict: nothing is touched, the flow does not run; records correlated with the sender
//     already (synced before, or created by this job) stand for other records and are no match;
//   - otherwise → created (the flow creates the record).
// The classification is kept (one row per message), so a re-run after a crash or a reprocess
// keeps the first one, and the sender's job page reads the totals from here.

const instructionSchema = z.object({
  job: z.string().min(1).max(100),
  /** The record's sys_id on the sender (the report lists it). */
  record: z.string().min(1).max(100),
  link: z
    .object({
      field: z.string().min(1).max(100),
      value: z.string().max(10_000),
      table: z.string().min(1).max(100),
    })
    .nullable(),
});
export type InitialSyncInstruction = z.infer<typeof instructionSchema>;

type Outcome = "created" | "linked" | "unchanged" | "conflict";

const Q = {
  existing: sql<{ outcome: Outcome; detail: string | null }>(
    "SELECT outcome, detail FROM initial_sync_outcome WHERE remote_system_id = ? AND message_id = ?",
  ),
  insert: sql(
    `INSERT INTO initial_sync_outcome (remote_system_id, message_id, job_id, outcome, source_sys_id, label, local_sys_id,
       detail, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
  // The record's creation, as audited (server/records/record-service.ts): by an inbound flow of this remote?
  createdFor: sql<{ one: number }>(
    "SELECT 1 AS one FROM audit_entry WHERE record_sys_id = ? AND operation = 'create' AND origin_remote = ? LIMIT 1",
  ),
  linkedBy: sql<{ one: number }>(
    `SELECT 1 AS one FROM initial_sync_outcome WHERE remote_system_id = ? AND job_id = ? AND outcome = 'linked'
       AND local_sys_id = ? LIMIT 1`,
  ),
  counts: sql<{ outcome: Outcome; n: number }>(
    "SELECT outcome, n FROM initial_sync_count WHERE remote_system_id = ? AND job_id = ?",
  ),
  count: sql({
    sqlite: `INSERT INTO initial_sync_count (remote_system_id, job_id, outcome, n) VALUES (?, ?, ?, 1)
      ON CONFLICT (remote_system_id, job_id, outcome) DO UPDATE SET n = n + 1`,
    postgres: `INSERT INTO initial_sync_count (remote_system_id, job_id, outcome, n) VALUES (?, ?, ?, 1)
      ON CONFLICT (remote_system_id, job_id, outcome) DO UPDATE SET n = initial_sync_count.n + 1`,
  }),
  // Unfinished inbound rows are few (the claim index holds only those): walk them once, keep the
  // job's, by status and by whether they have been classified yet (an outcome row exists).
  unfinished: sql<{ status: string; classified: number; n: number }>(
    `SELECT q.status AS status, CASE WHEN o.message_id IS NULL THEN 0 ELSE 1 END AS classified, count(*) AS n
     FROM inbound_queue q
       LEFT JOIN initial_sync_outcome o ON o.remote_system_id = q.remote_system_id AND o.message_id = q.message_id
     WHERE q.remote_system_id = ? AND q.status IN ('ready', 'processing', 'error') AND q.status <> 'processed'
       AND q.initial_sync_job_id = ?
     GROUP BY q.status, CASE WHEN o.message_id IS NULL THEN 0 ELSE 1 END`,
  ),
  items: sql<{
    source_sys_id: string;
    label: string;
    local_sys_id: string | null;
    detail: string | null;
    record_sys_id: string | null;
    last_error: string | null;
  }>(
    `SELECT o.source_sys_id, o.label, o.local_sys_id, o.detail, c.record_sys_id, q.last_error
     FROM initial_sync_outcome o
       LEFT JOIN inbound_queue q ON q.remote_system_id = o.remote_system_id AND q.message_id = o.message_id
       LEFT JOIN correlation c ON c.remote_system_id = o.remote_system_id AND c.local_id = q.local_correlation_id
     WHERE o.remote_system_id = ? AND o.job_id = ? AND o.outcome = ?
       AND (q.status IS NULL OR q.status <> 'error')
     ORDER BY o.at, o.message_id LIMIT ?`,
  ),
  errorItems: sql<{ source_sys_id: string; label: string; last_error: string | null }>(
    `SELECT o.source_sys_id, o.label, q.last_error FROM inbound_queue q
       JOIN initial_sync_outcome o ON o.remote_system_id = q.remote_system_id AND o.message_id = q.message_id
     WHERE q.remote_system_id = ? AND q.status = 'error' AND q.status <> 'processed' AND o.job_id = ?
     ORDER BY q.sequence LIMIT ?`,
  ),
};

/** The instruction a job message carries, or null for a live change; throws on a malformed one. */
export function instructionOf(row: Pick<InboundRow, "payload">): InitialSyncInstruction | null {
  // live changes: no decoding (a deflated payload is a captured one, never an instruction)
  if (!plainPayloadIncludes(row.payload, '"initial_sync"')) return null;
  const payload = decodePayload(row.payload) as Record<string, unknown> | null;
  const raw = payload && typeof payload === "object" ? payload.initial_sync : undefined;
  if (raw === undefined) return null;
  const parsed = instructionSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(
      `Malformed initial sync instruction: ${parsed.error.issues.map((i) => `${i.path.join(".") || "initial_sync"}: ${i.message}`).join("; ")}`,
    );
  }
  return parsed.data;
}

export class InitialSyncReceiver {
  constructor(
    private readonly storage: Storage,
    private readonly records: RecordService,
  ) {}

  /** Runs an inbound row: a job message is classified first, and a conflict does not run the flow. */
  async run(row: InboundRow, runFlow: () => Promise<InboundOutcome>): Promise<InboundOutcome> {
    let instruction: InitialSyncInstruction | null;
    try {
      instruction = instructionOf(row);
    } catch (error) {
      return { kind: "error", error: (error as Error).message, executionId: null };
    }
    if (!instruction) return runFlow();
    const classified = await this.storage.transaction(() => this.classifyPlan(row, instruction));
    if (classified.outcome === "conflict") {
      return {
        kind: "processed",
        executionId: null,
        warning: `Initial sync conflict: ${classified.detail ?? ""}`,
      };
    }
    return runFlow();
  }

  *classifyPlan(
    row: InboundRow,
    instruction: InitialSyncInstruction,
  ): Plan<{ outcome: Outcome; detail: string | null }> {
    const remoteId = row.remote_system_id;
    const seen = yield* get(Q.existing, remoteId, row.message_id);
    if (seen) return seen;
    const sourceSysId = instruction.record;
    const link = instruction.link;
    const label = link?.value ?? "";
    const job = instruction.job;
    function* record(outcome: Outcome, localSysId: string | null, detail: string | null): Plan<void> {
      yield* run(
        Q.insert,
        remoteId,
        row.message_id,
        job,
        outcome,
        sourceSysId,
        label,
        localSysId,
        detail,
        Date.now(),
      );
      yield* run(Q.count, remoteId, job, outcome);
    }

    const correlated =
      (yield* correlationPlans.byRemoteId(remoteId, row.remote_correlation_id)) ??
      (row.local_correlation_id
        ? yield* correlationPlans.byLocalId(remoteId, row.local_correlation_id)
        : null);
    if (correlated) {
      yield* record("unchanged", correlated.sysId, null);
      return { outcome: "unchanged", detail: null };
    }
    if (link && link.value !== "") {
      const matches = yield* this.records.matchingPlan(link.table, link.field, link.value, 10);
      // A match correlated with the sender, or created here on its behalf, already stands for
      // another of its records (synced before, or created by this job): never a link target. One this job linked is claimed
      // twice, though: a conflict.
      const free: typeof matches = [];
      const claimed: string[] = [];
      for (const m of matches) {
        const standsForAnother =
          (yield* correlationPlans.byRecord(remoteId, link.table, m.sys_id)) ??
          // created by an inbound flow for the sender, its correlation maybe not written yet
          (yield* get(Q.createdFor, m.sys_id, remoteId));
        if (!standsForAnother) free.push(m);
        else if (yield* get(Q.linkedBy, remoteId, instruction.job, m.sys_id))
          claimed.push(m.number || m.sys_id);
      }
      const [match] = free;
      if (match && free.length === 1 && claimed.length === 0 && row.local_correlation_id) {
        yield* correlationPlans.create({
          remoteSystem: remoteId,
          table: link.table,
          sysId: match.sys_id,
          localCorrelationId: row.local_correlation_id,
          remoteCorrelationId: row.remote_correlation_id,
        });
        yield* record("linked", match.sys_id, null);
        return { outcome: "linked", detail: null };
      }
      if (free.length + claimed.length > 1 || claimed.length > 0) {
        const shown = [...free.map((m) => m.number || m.sys_id), ...claimed].join(", ");
        const detail =
          claimed.length > 0 && free.length === 0
            ? `${link.field} ${link.value} matches ${shown}, which this job already linked to another record of the sender`
            : `${link.field} ${link.value} matches ${matches.length === 10 ? "10 or more" : free.length + claimed.length} records here (${shown})`;
        yield* record("conflict", null, detail);
        return { outcome: "conflict", detail };
      }
    }
    yield* record("created", null, null);
    return { outcome: "created", detail: null };
  }

  progress(remoteId: string, jobId: string): Promise<RemoteProgress> {
    return this.storage.read(progressPlan(remoteId, jobId));
  }

  report(remoteId: string, jobId: string, limit: number): Promise<JobReport> {
    return this.storage.read(reportPlan(remoteId, jobId, limit));
  }
}

export function* progressPlan(remoteId: string, jobId: string): Plan<RemoteProgress> {
  const by = new Map((yield* all(Q.counts, remoteId, jobId)).map((r) => [r.outcome, Number(r.n)]));
  const unfinished = new Map<string, number>();
  for (const r of yield* all(Q.unfinished, remoteId, jobId))
    unfinished.set(`${r.status}:${Number(r.classified)}`, Number(r.n));
  const of = (key: string) => unfinished.get(key) ?? 0;
  const received = [...by.values()].reduce((a, b) => a + b, 0);
  return {
    received,
    created: by.get("created") ?? 0,
    linked: by.get("linked") ?? 0,
    unchanged: by.get("unchanged") ?? 0,
    conflicts: by.get("conflict") ?? 0,
    errors: of("error:1"),
    pending: of("ready:1") + of("processing:1"),
    unclassified: of("ready:0") + of("processing:0"),
    at: Date.now(),
  };
}

/**
 * Totals and the first `limit` records of each outcome. A created or linked message whose row
 * is in error is counted as an error, not as created; one still running is in none yet.
 */
export function* reportPlan(remoteId: string, jobId: string, limit: number): Plan<JobReport> {
  const p = yield* progressPlan(remoteId, jobId);
  const items = {} as JobReport["items"];
  const outcomes: Array<[keyof JobReport["items"], Outcome]> = [
    ["created", "created"],
    ["linked", "linked"],
    ["unchanged", "unchanged"],
    ["conflicts", "conflict"],
  ];
  for (const [key, outcome] of outcomes) {
    items[key] = (yield* all(Q.items, remoteId, jobId, outcome, limit)).map(
      (r): ReportItem => ({
        sourceSysId: r.source_sys_id,
        label: r.label,
        localSysId: r.local_sys_id ?? r.record_sys_id,
        detail: r.detail,
      }),
    );
  }
  items.errors = (yield* all(Q.errorItems, remoteId, jobId, limit)).map((r) => ({
    sourceSysId: r.source_sys_id,
    label: r.label,
    localSysId: null,
    detail: r.last_error,
  }));
  // Counts of created/linked/unchanged exclude the rows in error or still running: the report
  // says what happened, not what was planned.
  const unsettled = yield* unsettledByOutcome(remoteId, jobId);
  return {
    created: p.created - (unsettled.get("created") ?? 0),
    linked: p.linked - (unsettled.get("linked") ?? 0),
    unchanged: p.unchanged - (unsettled.get("unchanged") ?? 0),
    conflicts: p.conflicts,
    errors: p.errors,
    items,
  };
}

const unsettledQ = sql<{ outcome: Outcome; n: number }>(
  `SELECT o.outcome AS outcome, count(*) AS n FROM inbound_queue q
     JOIN initial_sync_outcome o ON o.remote_system_id = q.remote_system_id AND o.message_id = q.message_id
   WHERE q.remote_system_id = ? AND q.status IN ('ready', 'processing', 'error') AND q.status <> 'processed'
     AND o.job_id = ? GROUP BY o.outcome`,
);

function* unsettledByOutcome(remoteId: string, jobId: string): Plan<Map<Outcome, number>> {
  return new Map((yield* all(unsettledQ, remoteId, jobId)).map((r) => [r.outcome, Number(r.n)]));
}

import { z } from "zod";
import type { AttachmentOffer } from "../attachments/offer";
import { fieldClocks } from "../capture/field-clocks";
import { buildPayload } from "../capture/payload";
import type { Logger } from "../log/logger";
import { enqueuePlan } from "../queue/outbound/enqueue";
import type { RecordService } from "../records/record-service";
import type { RecordChange, RecordValues } from "../records/types";
import { afterCommit, type Plan, type Storage } from "../storage";
import type { CaptureRow, RemoteSystemRow, SyncConfig } from "../sync/config-store";
import { correlationPlans } from "../sync/correlations";
import { RecordError } from "../util/errors";
import { newSysId } from "../util/ids";
import { cursorQuery, describeCondition } from "./condition";
import {
  type InitialSyncJob,
  type JobEvent,
  type JobReport,
  jobPlans,
  type LocalCounts,
  type NewJob,
  type RemoteProgress,
} from "./jobs";
import { type ControlRequest, type PullDeps, PullJobs, type StatusAnswer } from "./pull";

// Initial sync (issue 17), the sender's side: a job walks the records matching its condition in
// sys_id order and enqueues each as the capture would on create (payload with every included
// field and its clock, journal entries, attachment offer), into the normal outbound queue and
// its lanes. The cursor moves in the same transaction as the rows it enqueued, so after a crash
// the job resumes exactly where it stopped: no record enqueued twice, none skipped. The job keeps
// at most `window` messages between enqueued and classified by the receiver, so neither queue
// grows with the job's size, and the outbound worker claims live changes before job rows.

export const REPORT_PATH = "/api/sync/v1/initial-sync/report";

export const startInput = z.object({
  definitionId: z.string().min(1, "Choose a process sync definition"),
  remoteSystemId: z.string().min(1, "Choose a remote system"),
  /** Which capture's table and payload; by default the definition's first one that sends to the remote. */
  captureDefinitionId: z.string().min(1).optional(),
  condition: z.string().max(4000).default(""),
  mode: z.enum(["create", "link"]),
  linkField: z.string().max(100).optional(),
  /** push: this instance's records to the remote; pull: the remote's records here (its job). */
  direction: z.enum(["push", "pull"]).default("push"),
});
export type StartInput = z.infer<typeof startInput>;

export interface InitialSyncDeps {
  storage: Storage;
  records: RecordService;
  config: SyncConfig;
  offer: AttachmentOffer;
  /** A signed call to the peer (SyncClient.call). */
  callRemote: (remoteId: string, path: string, body: unknown) => Promise<unknown>;
  /** This instance's receiver (a pull job's outcomes are classified here). */
  receiver: PullDeps["receiver"];
  /** This instance's name (a pulled job on the remote says who asked for it). */
  instance: string;
  wakeOutbound: () => void;
  logger: Logger;
  /** Records enqueued per transaction, and messages allowed between enqueued and classified. */
  batch?: number;
  window?: number;
  tickMs?: number;
  now?: () => number;
}

export interface JobView extends InitialSyncJob {
  definitionName: string;
  remoteName: string;
  local: LocalCounts;
  /** Records the receiver has finished (created, linked, unchanged, conflicts, errors). */
  done: number;
  ratePerSecond: number | null;
  etaSeconds: number | null;
  senderErrors: Array<{ recordSysId: string; error: string }>;
  events: JobEvent[];
}

const remoteProgressSchema = z.object({
  received: z.number(),
  created: z.number(),
  linked: z.number(),
  unchanged: z.number(),
  conflicts: z.number(),
  errors: z.number(),
  pending: z.number(),
  unclassified: z.number(),
  at: z.number(),
});
const reportItem = z.object({
  sourceSysId: z.string(),
  label: z.string(),
  localSysId: z.string().nullable(),
  detail: z.string().nullable(),
});
const remoteReportSchema = z.object({
  progress: remoteProgressSchema,
  report: z
    .object({
      created: z.number(),
      linked: z.number(),
      unchanged: z.number(),
      conflicts: z.number(),
      errors: z.number(),
      items: z.object({
        created: z.array(reportItem),
        linked: z.array(reportItem),
        unchanged: z.array(reportItem),
        conflicts: z.array(reportItem),
        errors: z.array(reportItem),
      }),
    })
    .nullable(),
});

const bad = (message: string, detail = "", field?: string) => new RecordError(400, message, detail, field);

export class InitialSync {
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private stopped = false;
  private readonly batch: number;
  private readonly window: number;
  private readonly tickMs: number;
  private readonly now: () => number;
  private readonly pull: PullJobs;

  constructor(private readonly deps: InitialSyncDeps) {
    this.batch = deps.batch ?? 50;
    this.window = deps.window ?? 600;
    this.tickMs = deps.tickMs ?? 100;
    this.now = deps.now ?? Date.now;
    this.pull = new PullJobs({ ...deps, now: this.now });
  }

  // ——— what the job page and its form call ———

  /** The capture a job of this definition and remote would use, or a clear error. */
  captureFor(definitionId: string, remoteSystemId: string, captureDefinitionId?: string): CaptureRow {
    const snapshot = this.deps.config.snapshot();
    const remote = snapshot.remotesById.get(remoteSystemId);
    if (!remote)
      throw bad("Unknown remote system", `No remote system has id ${remoteSystemId}`, "remoteSystemId");
    const captures = this.capturesSendingTo(remoteSystemId, (c) => c.definitionId === definitionId);
    const capture = captureDefinitionId ? captures.find((c) => c.id === captureDefinitionId) : captures[0];
    if (!capture) {
      throw bad(
        "Nothing to send",
        `No active capture definition of this process sync definition has an active outbound flow to ${remote.name}. Add one (or activate it), then start the job.`,
        "captureDefinitionId",
      );
    }
    return capture;
  }

  /** How many records the condition matches on the capture's table (the form's preview). */
  async preview(
    input: Omit<StartInput, "mode" | "linkField" | "direction"> & { direction?: StartInput["direction"] },
  ): Promise<{ table: string; count: number }> {
    if (input.direction === "pull")
      return this.pull.preview(input.definitionId, input.remoteSystemId, input.condition);
    const capture = this.captureFor(input.definitionId, input.remoteSystemId, input.captureDefinitionId);
    return { table: capture.sourceTable, count: await this.count(capture.sourceTable, input.condition) };
  }

  private async count(table: string, condition: string): Promise<number> {
    try {
      return (await this.deps.records.list(table, { query: cursorQuery(condition, ""), limit: 1 })).total;
    } catch (error) {
      if (error instanceof RecordError) {
        throw bad(
          "Invalid condition",
          `${describeCondition(condition)}: ${error.detail || error.message}`,
          "condition",
        );
      }
      throw error;
    }
  }

  async startJob(input: StartInput, user: string): Promise<{ id: string }> {
    if (input.direction === "pull") {
      const linkField = input.mode === "link" ? (input.linkField ?? "").trim() : null;
      if (linkField === "")
        throw bad("Choose the field to link by", "Link by field needs a field, e.g. number", "linkField");
      return this.pull.start({ ...input, linkField }, user);
    }
    const { config, records } = this.deps;
    const snapshot = config.snapshot();
    const definition = (await config.listDefinitions()).find((d) => d.id === input.definitionId);
    if (!definition)
      throw bad("Unknown process sync definition", `No definition has id ${input.definitionId}`);
    const capture = this.captureFor(input.definitionId, input.remoteSystemId, input.captureDefinitionId);
    const remote = snapshot.remotesById.get(input.remoteSystemId);
    if (remote?.outboundState !== "active") {
      throw new RecordError(
        409,
        `${remote?.name ?? "The remote system"} is not active`,
        remote?.outboundState === "error"
          ? `Its outbound state is error${remote.stateMessage ? ` (${remote.stateMessage})` : ""}. Fix the cause, use Validate and Activate on the remote system, then start the job.`
          : "Its outbound state is disabled. Use Validate and Activate on the remote system, then start the job.",
      );
    }
    const table = capture.sourceTable;
    let linkField: string | null = null;
    if (input.mode === "link") {
      linkField = (input.linkField ?? "").trim();
      if (!linkField)
        throw bad("Choose the field to link by", "Link by field needs a field, e.g. number", "linkField");
      const def = records.registry.require(table);
      if (linkField !== "sys_id" && !def.fields.some((f) => f.name === linkField)) {
        throw bad(
          "Unknown link field",
          `Table ${table} has no field "${linkField}". Choose one of: ${def.fields.map((f) => f.name).join(", ")}`,
          "linkField",
        );
      }
    }
    const total = await this.count(table, input.condition);
    const id = newSysId();
    const now = this.now();
    await this.deps.storage.transaction(() =>
      this.startPlan(
        {
          id,
          definitionId: definition.id,
          remoteSystemId: input.remoteSystemId,
          direction: "push",
          captureDefinitionId: capture.id,
          tableName: table,
          condition: input.condition.trim(),
          mode: input.mode,
          linkField,
          total,
          createdBy: user,
        },
        remote.name,
        now,
      ),
    );
    this.deps.logger.info({ job: id, remote: remote.name, table, total }, "initial sync started");
    this.kick();
    return { id };
  }

  private *startPlan(job: NewJob, remoteName: string, now: number): Plan<void> {
    const running = yield* jobPlans.activeFor(job.remoteSystemId, job.captureDefinitionId);
    if (running) {
      throw new RecordError(
        409,
        "A job is already bringing these records across",
        `Initial sync ${running} to ${remoteName} is running or paused. Resume or cancel it first.`,
      );
    }
    yield* jobPlans.create(job, now);
    yield* jobPlans.audit(
      job.id,
      "started",
      job.createdBy,
      {
        condition: job.condition,
        mode: job.mode,
        linkField: job.linkField,
        table: job.tableName,
        total: job.total,
      },
      now,
    );
  }

  async pause(id: string, user: string): Promise<InitialSyncJob> {
    const pulled = await this.pulled(id, "pause", user);
    return pulled ?? this.move(id, "running", "paused", "paused", user);
  }

  async resume(id: string, user: string): Promise<InitialSyncJob> {
    const pulled = await this.pulled(id, "resume", user);
    if (pulled) return pulled;
    const job = await this.move(id, "paused", "running", "resumed", user);
    this.kick();
    return job;
  }

  /** A pull job is controlled where it runs, on the remote; null for a job of this instance. */
  private async pulled(
    id: string,
    action: "pause" | "resume" | "cancel",
    user: string,
  ): Promise<InitialSyncJob | null> {
    const job = await this.deps.storage.read(jobPlans.get(id));
    if (job?.direction !== "pull") return null;
    await this.pull.control(job, action, user);
    return (await this.deps.storage.read(jobPlans.get(id))) ?? job;
  }

  async cancel(id: string, user: string): Promise<InitialSyncJob> {
    const pulled = await this.pulled(id, "cancel", user);
    if (pulled) return pulled;
    const now = this.now();
    const job = await this.deps.storage.transaction(() => this.cancelPlan(id, user, now));
    this.deps.wakeOutbound();
    await this.finish(job, "cancelled").catch((error: unknown) =>
      this.deps.logger.warn(
        { err: error, job: id },
        "the report of a cancelled initial sync could not be fetched",
      ),
    );
    return (await this.deps.storage.read(jobPlans.get(id))) ?? job;
  }

  private *cancelPlan(id: string, user: string, now: number): Plan<InitialSyncJob> {
    const job = yield* jobPlans.lock(id);
    if (!job) throw new RecordError(404, "No such initial sync job", `No job has id ${id}`);
    if (job.status !== "running" && job.status !== "paused") {
      throw new RecordError(
        409,
        `The job is ${job.status}`,
        "Only a running or paused job can be cancelled.",
      );
    }
    yield* jobPlans.transition(id, job.status, "cancelled", now);
    const skipped = yield* jobPlans.skipRest(id);
    yield* jobPlans.audit(id, "cancelled", user, { enqueued: job.enqueued, skipped }, now);
    return { ...job, status: "cancelled" };
  }

  private async move(
    id: string,
    from: "running" | "paused",
    to: "running" | "paused",
    action: string,
    user: string,
  ): Promise<InitialSyncJob> {
    const now = this.now();
    return this.deps.storage.transaction(() => this.movePlan(id, from, to, action, user, now));
  }

  private *movePlan(
    id: string,
    from: "running" | "paused",
    to: "running" | "paused",
    action: string,
    user: string,
    now: number,
  ): Plan<InitialSyncJob> {
    const job = yield* jobPlans.lock(id);
    if (!job) throw new RecordError(404, "No such initial sync job", `No job has id ${id}`);
    if (job.status !== from) {
      throw new RecordError(409, `The job is ${job.status}`, `Only a ${from} job can be ${action}.`);
    }
    yield* jobPlans.transition(id, from, to, now);
    yield* jobPlans.audit(id, action, user, { enqueued: job.enqueued }, now);
    return { ...job, status: to };
  }

  // ——— what the remote asks of this instance (a pull job there is a job here) ———

  /** Answers a signed control request of `remote` (server/initial-sync/control-api.ts). */
  async answerControl(remote: RemoteSystemRow, request: ControlRequest): Promise<unknown> {
    switch (request.action) {
      case "preview": {
        const capture = this.captureForEvent(request.event, remote);
        return {
          table: capture.sourceTable,
          count: await this.count(capture.sourceTable, request.condition),
        };
      }
      case "start": {
        const capture = this.captureForEvent(request.event, remote);
        const { id } = await this.startJob(
          {
            definitionId: capture.definitionId,
            remoteSystemId: remote.id,
            captureDefinitionId: capture.id,
            condition: request.condition,
            mode: request.mode,
            direction: "push",
            ...(request.link_field ? { linkField: request.link_field } : {}),
          },
          request.requested_by || remote.name,
        );
        const job = await this.peerJob(remote, id);
        return { job_id: id, table: job.tableName, total: job.total };
      }
      case "status":
        return statusOf(await this.peerJob(remote, request.job_id));
      default: {
        const { id } = await this.peerJob(remote, request.job_id);
        const by = request.requested_by || remote.name;
        if (request.action === "pause") await this.pause(id, by);
        else if (request.action === "resume") await this.resume(id, by);
        else await this.cancel(id, by);
        return statusOf(await this.peerJob(remote, id));
      }
    }
  }

  /** A job this instance runs for `remote` (another remote's jobs are not its business). */
  private async peerJob(remote: RemoteSystemRow, id: string): Promise<InitialSyncJob> {
    const job = await this.deps.storage.read(jobPlans.get(id));
    if (!job || job.remoteSystemId !== remote.id || job.direction !== "push")
      throw new RecordError(404, "No such initial sync job", `No job for ${remote.name} has id ${id}`);
    return job;
  }

  /** Active captures (those `keep` picks) with an active outbound flow record to the remote, in order. */
  private capturesSendingTo(remoteSystemId: string, keep: (capture: CaptureRow) => boolean): CaptureRow[] {
    const snapshot = this.deps.config.snapshot();
    return [...snapshot.capturesByTable.values()]
      .flat()
      .filter(keep)
      .filter((c) =>
        (snapshot.outboundByEvent.get(c.processEventId) ?? []).some(
          (b) => b.remoteSystemId === remoteSystemId,
        ),
      )
      .sort((a, b) => a.order - b.order);
  }

  /** The capture that sends on the named process event to `remote`. */
  private captureForEvent(eventName: string, remote: RemoteSystemRow): CaptureRow {
    const snapshot = this.deps.config.snapshot();
    const event = snapshot.eventsByName.get(eventName);
    if (!event)
      throw bad(
        `No process event named "${eventName}" here`,
        "Both sides must use the same process event name",
      );
    const capture = this.capturesSendingTo(remote.id, (c) => c.processEventId === event.id)[0];
    if (!capture)
      throw bad(
        "Nothing to send",
        `No active capture definition of "${eventName}" has an active outbound flow to ${remote.name} here.`,
      );
    return capture;
  }

  list(): Promise<InitialSyncJob[]> {
    return this.deps.storage.read(jobPlans.list());
  }

  async view(id: string): Promise<JobView> {
    const read = await this.deps.storage.read(this.viewPlan(id));
    if (!read) throw new RecordError(404, "No such initial sync job", `No job has id ${id}`);
    const { job, local, senderErrors, events } = read;
    const snapshot = this.deps.config.snapshot();
    const definitionName =
      (await this.deps.config.listDefinitions()).find((d) => d.id === job.definitionId)?.name ??
      job.definitionId;
    const p = job.remoteProgress;
    const done = p ? p.received - p.pending : 0;
    const started = events.find((e) => e.action === "started")?.at ?? job.createdAt;
    const end = job.finishedAt ?? p?.at ?? this.now();
    const seconds = (end - started) / 1000;
    const ratePerSecond = done > 0 && seconds > 0 ? done / seconds : null;
    const left = Math.max(0, job.total - done);
    return {
      ...job,
      definitionName,
      remoteName: snapshot.remotesById.get(job.remoteSystemId)?.name ?? job.remoteSystemId,
      local,
      done,
      ratePerSecond,
      etaSeconds: job.status === "running" && ratePerSecond ? left / ratePerSecond : null,
      senderErrors,
      events,
    };
  }

  private *viewPlan(id: string) {
    const job = yield* jobPlans.get(id);
    if (!job) return null;
    const local = yield* jobPlans.counts(id);
    const senderErrors = yield* jobPlans.senderErrors(id, 100);
    const events = yield* jobPlans.events(id);
    return { job, local, senderErrors, events };
  }

  // ——— the background producer ———

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.kick(), this.tickMs * 10);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.ticking;
  }

  /** Runs a round now unless one is running; a round that did work runs the next one soon. */
  kick(): void {
    if (this.ticking || this.stopped) return;
    this.ticking = this.round()
      .catch((error: unknown) => this.deps.logger.error({ err: error }, "initial sync round failed"))
      .then((busy) => {
        this.ticking = undefined;
        if (busy && !this.stopped) setTimeout(() => this.kick(), this.tickMs).unref();
      });
  }

  /** One step of every open job; true while a job is running. */
  private async round(): Promise<boolean> {
    const jobs = await this.deps.storage.read(jobPlans.open());
    for (const job of jobs) {
      if (this.stopped) break;
      await this.step(job).catch((error: unknown) =>
        this.deps.logger.error({ err: error, job: job.id }, "initial sync step failed"),
      );
    }
    return jobs.some((j) => j.status === "running");
  }

  private async step(job: InitialSyncJob): Promise<void> {
    if (job.direction === "pull") return this.pull.follow(job);
    let progress: RemoteProgress;
    try {
      progress = (await this.fetch(job, false)).progress;
    } catch (error) {
      const message = `${this.remoteName(job)} did not report progress: ${(error as Error).message}`;
      if (message !== job.lastError) {
        await this.deps.storage.transaction(() =>
          jobPlans.recordProgress(job.id, job.remoteProgress, message, this.now()),
        );
      }
      return;
    }
    const changed =
      JSON.stringify({ ...progress, at: 0 }) !== JSON.stringify({ ...job.remoteProgress, at: 0 });
    if (changed || job.lastError) {
      await this.deps.storage.transaction(() => jobPlans.recordProgress(job.id, progress, null, this.now()));
    }
    if (job.status !== "running") return;
    if (!job.exhausted) {
      // Small transactions, the event loop free between them: a live change never waits
      // behind a long one.
      let room = this.window - (job.enqueued - progress.received);
      while (room > 0 && !this.stopped) {
        const asked = Math.min(this.batch, room);
        const added = await this.deps.storage.transaction(() => this.producePlan(job.id, asked));
        if (added < asked) break;
        room -= added;
        await new Promise((r) => setImmediate(r));
      }
      return;
    }
    const local = await this.deps.storage.read(jobPlans.counts(job.id));
    // Every row has left this side: each one the outbound flow sent was accepted durably by the
    // receiver before it was marked processed (a flow may also end without sending, e.g. a
    // record it filters out). The job is done once the receiver has classified every message
    // it accepted and each has finished there.
    const settled =
      local.ready === 0 && local.processing === 0 && progress.pending === 0 && progress.unclassified === 0;
    if (settled) await this.finish(job, "completed");
  }

  private remoteName(job: InitialSyncJob): string {
    return this.deps.config.snapshot().remotesById.get(job.remoteSystemId)?.name ?? "The remote system";
  }

  private async fetch(job: InitialSyncJob, withReport: boolean) {
    const answer = await this.deps.callRemote(job.remoteSystemId, REPORT_PATH, {
      job_id: job.id,
      report: withReport,
    });
    const parsed = remoteReportSchema.safeParse(answer);
    if (!parsed.success) throw new Error("its answer was not a progress report");
    return parsed.data;
  }

  /** Completes (or, cancelled, closes) the job with the receiver's final report. */
  private async finish(job: InitialSyncJob, outcome: "completed" | "cancelled"): Promise<void> {
    const { report } = await this.fetch(job, true);
    if (!report) throw new Error("the receiver sent no report");
    const local = await this.deps.storage.read(jobPlans.counts(job.id));
    const senderErrors = await this.deps.storage.read(jobPlans.senderErrors(job.id, 200));
    const full: JobReport = {
      ...report,
      errors: report.errors + local.error,
      items: {
        ...report.items,
        errors: [
          ...senderErrors.map((e) => ({
            sourceSysId: e.recordSysId,
            label: "",
            localSysId: null,
            detail: e.error,
          })),
          ...report.items.errors,
        ],
      },
    };
    const now = this.now();
    await this.deps.storage.transaction(() => this.finishPlan(job.id, outcome, full, now));
  }

  private *finishPlan(
    id: string,
    outcome: "completed" | "cancelled",
    report: JobReport,
    now: number,
  ): Plan<void> {
    const job = yield* jobPlans.lock(id);
    if (!job || job.report) return; // another process finished it
    if (outcome === "completed" && !(yield* jobPlans.transition(id, "running", "completed", now))) return;
    yield* jobPlans.recordReport(id, report, now);
    const totals = {
      created: report.created,
      linked: report.linked,
      unchanged: report.unchanged,
      conflicts: report.conflicts,
      errors: report.errors,
    };
    if (outcome === "completed") yield* jobPlans.audit(id, "completed", "system", totals, now);
    else yield* jobPlans.audit(id, "report", "system", totals, now);
  }

  /** Enqueues up to `n` more records of the job, and moves its cursor past them, in one transaction. */
  private *producePlan(jobId: string, n: number): Plan<number> {
    const job = yield* jobPlans.lock(jobId);
    if (job?.status !== "running" || job.exhausted) return 0;
    const snapshot = this.deps.config.snapshot();
    const capture = [...snapshot.capturesByTable.values()]
      .flat()
      .find((c) => c.id === job.captureDefinitionId);
    const event = capture ? snapshot.eventsById.get(capture.processEventId) : undefined;
    const binding = capture
      ? (snapshot.outboundByEvent.get(capture.processEventId) ?? []).find(
          (b) => b.remoteSystemId === job.remoteSystemId,
        )
      : undefined;
    if (!capture || !event || !binding) {
      const why =
        "The job's capture definition or its outbound flow to the remote is no longer active: activate it again, or cancel the job.";
      yield* jobPlans.recordProgress(job.id, job.remoteProgress, why, this.now());
      return 0;
    }
    const { rows } = yield* this.deps.records.listPlan(job.tableName, {
      query: cursorQuery(job.condition, job.cursor),
      limit: n,
      count: false,
    });
    for (const record of rows) yield* this.enqueueRecord(job, capture, event.name, binding.id, record);
    const last = rows.at(-1)?.sys_id ?? job.cursor;
    yield* jobPlans.advance(job.id, last, rows.length, rows.length < n, this.now());
    if (rows.length > 0) yield* afterCommit(this.deps.wakeOutbound);
    return rows.length;
  }

  /** One record as the capture would send it on create: every included field, clocks, journal, attachments. */
  private *enqueueRecord(
    job: InitialSyncJob,
    capture: CaptureRow,
    eventName: string,
    bindingId: string,
    record: RecordValues,
  ): Plan<void> {
    const { records } = this.deps;
    const table = records.registry.require(job.tableName);
    const correlated = yield* correlationPlans.byRecord(job.remoteSystemId, table.name, record.sys_id);
    const change: RecordChange = {
      table,
      operation: correlated ? "update" : "create",
      sysId: record.sys_id,
      before: null,
      after: record,
      changedFields: Object.keys(record),
      journalEntries: yield* records.journalPlan(record.sys_id),
      attachmentChanges: [],
      actor: { userName: job.createdBy, origin: "system" },
    };
    const clocks = yield* fieldClocks.all(record.sys_id);
    const payload = yield* buildPayload({
      change,
      capture,
      records,
      clockOf: (field) => clocks.get(field) ?? { counter: 0, origin: "" },
      now: new Date(this.now()),
    });
    const offer = yield* this.deps.offer.for(change, capture, job.remoteSystemId);
    const instruction = {
      job: job.id,
      record: record.sys_id,
      link:
        job.mode === "link" && job.linkField
          ? { field: job.linkField, value: record[job.linkField] ?? "", table: table.name }
          : null,
    };
    yield* enqueuePlan({
      processEvent: eventName,
      remoteSystemId: job.remoteSystemId,
      captureDefinitionId: capture.id,
      flowBindingId: bindingId,
      operation: change.operation,
      tableName: table.name,
      recordSysId: record.sys_id,
      payload: { ...payload, attachment_metadata: offer.metadata, initial_sync: instruction },
      domain: capture.domain,
      warning: offer.refused.length > 0 ? `Attachments not sent: ${offer.refused.join("; ")}` : null,
      initialSyncJobId: job.id,
    });
  }
}

function statusOf(job: InitialSyncJob): StatusAnswer {
  return {
    status: job.status,
    total: job.total,
    enqueued: job.enqueued,
    exhausted: job.exhausted,
    last_error: job.lastError,
  };
}

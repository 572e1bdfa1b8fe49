import { z } from "zod";
import type { DataError } from "../../flows/ports/errors";
import type { Logger } from "../log/logger";
import type { Storage } from "../storage";
import type { SyncConfig } from "../sync/config-store";
import { RecordError } from "../util/errors";
import { type InitialSyncJob, type JobReport, type JobStatus, jobPlans, type RemoteProgress } from "./jobs";
import { REPORT_ITEMS } from "./report-api";

// "Bring the remote's records here" (issue 17): the records live on the remote, so the job runs
// there, on its outbound path, under the same guarantees as any job. This side asks it to start
// (a signed control call), keeps a row under the same id that follows it, and reads the figures
// that matter from itself: what its receiver classified (created, linked, conflicts...) is here.

export const CONTROL_PATH = "/api/sync/v1/initial-sync/control";

const jobId = z.string().min(1).max(100);
export const controlRequest = z.discriminatedUnion("action", [
  z.object({
    action: z.literal("preview"),
    event: z.string().min(1).max(100),
    condition: z.string().max(4000),
  }),
  z.object({
    action: z.literal("start"),
    event: z.string().min(1).max(100),
    condition: z.string().max(4000),
    mode: z.enum(["create", "link"]),
    link_field: z.string().max(100).nullable(),
    requested_by: z.string().max(200),
  }),
  z.object({ action: z.literal("status"), job_id: jobId }),
  z.object({ action: z.literal("pause"), job_id: jobId, requested_by: z.string().max(200) }),
  z.object({ action: z.literal("resume"), job_id: jobId, requested_by: z.string().max(200) }),
  z.object({ action: z.literal("cancel"), job_id: jobId, requested_by: z.string().max(200) }),
]);
export type ControlRequest = z.infer<typeof controlRequest>;

export const previewAnswer = z.object({ table: z.string(), count: z.number() });
export const startAnswer = z.object({ job_id: z.string(), table: z.string(), total: z.number() });
export const statusAnswer = z.object({
  status: z.enum(["running", "paused", "cancelled", "completed"]),
  total: z.number(),
  enqueued: z.number(),
  exhausted: z.boolean(),
  last_error: z.string().nullable(),
});
export type StatusAnswer = z.infer<typeof statusAnswer>;

export interface PullDeps {
  storage: Storage;
  config: SyncConfig;
  callRemote: (remoteId: string, path: string, body: unknown) => Promise<unknown>;
  /** This instance's receiver: the outcomes of the remote job's messages are here. */
  receiver: {
    progress(remoteId: string, jobId: string): Promise<RemoteProgress>;
    report(remoteId: string, jobId: string, limit: number): Promise<JobReport>;
  };
  instance: string;
  logger: Logger;
  now: () => number;
}

const FOLLOW_MS = 1_000;

export class PullJobs {
  private readonly lastLook = new Map<string, number>();

  constructor(private readonly deps: PullDeps) {}

  /** The process event the definition receives from the remote: the remote sends on it. */
  eventFor(definitionId: string, remoteSystemId: string): string {
    const snapshot = this.deps.config.snapshot();
    const remote = snapshot.remotesById.get(remoteSystemId);
    for (const binding of snapshot.inboundByKey.values()) {
      if (binding.remoteSystemId !== remoteSystemId) continue;
      const event = snapshot.eventsById.get(binding.processEventId);
      if (event?.definitionId === definitionId) return event.name;
    }
    throw new RecordError(
      400,
      "Nothing to receive",
      `No active inbound flow record of this process sync definition receives from ${remote?.name ?? "that remote system"}. Add one (or activate it), then bring its records here.`,
      "definitionId",
    );
  }

  async preview(definitionId: string, remoteSystemId: string, condition: string) {
    const event = this.eventFor(definitionId, remoteSystemId);
    return previewAnswer.parse(
      await this.ask(remoteSystemId, { action: "preview", event, condition }, "condition"),
    );
  }

  async start(
    input: {
      definitionId: string;
      remoteSystemId: string;
      condition: string;
      mode: "create" | "link";
      linkField: string | null;
    },
    user: string,
  ): Promise<{ id: string }> {
    const remote = this.deps.config.snapshot().remotesById.get(input.remoteSystemId);
    if (!remote)
      throw new RecordError(400, "Unknown remote system", `No remote system has id ${input.remoteSystemId}`);
    if (remote.inboundState !== "active" || remote.outboundState !== "active")
      throw new RecordError(
        409,
        `${remote.name} is not active`,
        `${remote.stateMessage ? `${remote.stateMessage}. ` : ""}Fix the cause, use Validate and Activate on the remote system, then bring its records here.`,
      );
    const event = this.eventFor(input.definitionId, input.remoteSystemId);
    const answer = startAnswer.parse(
      await this.ask(
        input.remoteSystemId,
        {
          action: "start",
          event,
          condition: input.condition.trim(),
          mode: input.mode,
          link_field: input.linkField,
          requested_by: `${user} on ${this.deps.instance}`,
        },
        input.mode === "link" ? "linkField" : "condition",
      ),
    );
    const now = this.deps.now();
    await this.deps.storage.transaction(function* () {
      yield* jobPlans.create(
        {
          id: answer.job_id,
          definitionId: input.definitionId,
          remoteSystemId: input.remoteSystemId,
          direction: "pull",
          captureDefinitionId: "",
          tableName: answer.table,
          condition: input.condition.trim(),
          mode: input.mode,
          linkField: input.linkField,
          total: answer.total,
          createdBy: user,
        },
        now,
      );
      yield* jobPlans.audit(
        answer.job_id,
        "started",
        user,
        {
          direction: "pull",
          from: remote.name,
          condition: input.condition.trim(),
          mode: input.mode,
          linkField: input.linkField,
          table: answer.table,
          total: answer.total,
        },
        now,
      );
    });
    this.deps.logger.info(
      { job: answer.job_id, remote: remote.name, total: answer.total },
      "initial sync pulled",
    );
    return { id: answer.job_id };
  }

  /** Pause, resume or cancel: the remote's job moves, this row follows. */
  async control(job: InitialSyncJob, action: "pause" | "resume" | "cancel", user: string): Promise<void> {
    const answer = statusAnswer.parse(
      await this.ask(job.remoteSystemId, {
        action,
        job_id: job.id,
        requested_by: `${user} on ${this.deps.instance}`,
      }),
    );
    const now = this.deps.now();
    const done = { pause: "paused", resume: "resumed", cancel: "cancelled" }[action];
    await this.deps.storage.transaction(() =>
      jobPlans.audit(job.id, done, user, { from: this.remoteName(job) }, now),
    );
    await this.apply(job, answer);
  }

  /**
   * One look at the remote's job and this receiver's outcomes. The producer's rounds call it
   * often; the remote is asked at most once a second per job.
   */
  async follow(job: InitialSyncJob): Promise<void> {
    const now = this.deps.now();
    if (now - (this.lastLook.get(job.id) ?? 0) < FOLLOW_MS) return;
    this.lastLook.set(job.id, now);
    let answer: StatusAnswer;
    try {
      answer = statusAnswer.parse(
        await this.deps.callRemote(job.remoteSystemId, CONTROL_PATH, { action: "status", job_id: job.id }),
      );
    } catch (error) {
      const message = `${this.remoteName(job)} did not report on its job: ${(error as Error).message}`;
      if (message !== job.lastError)
        await this.deps.storage.transaction(() =>
          jobPlans.follow(job.id, job.enqueued, job.exhausted, message, this.deps.now()),
        );
      return;
    }
    await this.apply(job, answer);
  }

  private async apply(job: InitialSyncJob, answer: StatusAnswer): Promise<void> {
    const progress = await this.deps.receiver.progress(job.remoteSystemId, job.id);
    const finished = answer.status === "completed" || answer.status === "cancelled";
    const report = finished
      ? await this.deps.receiver.report(job.remoteSystemId, job.id, REPORT_ITEMS)
      : null;
    const now = this.deps.now();
    const to: JobStatus = answer.status;
    const lastLook = this.lastLook;
    await this.deps.storage.transaction(function* () {
      const current = yield* jobPlans.lock(job.id);
      if (!current || current.status === "completed" || current.status === "cancelled") return;
      yield* jobPlans.follow(job.id, answer.enqueued, answer.exhausted, answer.last_error, now);
      yield* jobPlans.recordProgress(job.id, progress, answer.last_error, now);
      if (to !== current.status) yield* jobPlans.transition(job.id, current.status, to, now);
      if (report) {
        lastLook.delete(job.id);
        yield* jobPlans.recordReport(job.id, report, now);
        const { items: _items, ...totals } = report;
        yield* jobPlans.audit(job.id, to, "system", totals, now);
      }
    });
  }

  /** A signed control call; the remote's refusal (bad condition, not active...) says what to fix. */
  private async ask(remoteId: string, request: ControlRequest, field?: string): Promise<unknown> {
    const name = this.deps.config.snapshot().remotesById.get(remoteId)?.name ?? "The remote system";
    try {
      return await this.deps.callRemote(remoteId, CONTROL_PATH, request);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // The client answers a 4xx refusal with a DataError coded by its status, and its message
      // ends with the remote's own words ("beta refused the request (400): Invalid condition…").
      // (By name: Next.js may bundle the class twice, so instanceof could miss it.)
      const code = error instanceof Error && error.name === "DataError" ? (error as DataError).code : "";
      if (code.startsWith("HTTP_"))
        throw new RecordError(400, `${name} refused`, message.slice(message.indexOf("): ") + 3), field);
      throw new RecordError(409, `${name} could not be asked`, `${message}. Nothing was started; try again.`);
    }
  }

  private remoteName(job: InitialSyncJob): string {
    return this.deps.config.snapshot().remotesById.get(job.remoteSystemId)?.name ?? "The remote system";
  }
}

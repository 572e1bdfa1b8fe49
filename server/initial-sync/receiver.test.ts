import { describe, expect, it, vi } from "vitest";
import type { InboundRow } from "../queue/inbound/store";
import { encodePayload } from "../queue/payload-codec";
import { CorrelationStore } from "../sync/correlations";
import { memoryInstance, testActor } from "../testing/memory-instance";
import { InitialSyncReceiver } from "./receiver";

const REMOTE = "r".repeat(32);

function jobRow(n: number, link: { value: string } | null, extra: Partial<InboundRow> = {}): InboundRow {
  const payload = {
    capture_metadata: { sys_id: `s${n}` },
    changed_fields: [],
    initial_sync: {
      job: "job1",
      record: `s${n}`,
      link: link ? { field: "number", table: "incident", ...link } : null,
    },
  };
  return {
    sequence: n,
    message_id: `m${n}`,
    remote_system_id: REMOTE,
    process_event: "E",
    operation: "create",
    local_correlation_id: `l${n}`,
    remote_correlation_id: `c${n}`,
    lane_key: `${REMOTE}:c${n}`,
    lane_seq: 1,
    payload: encodePayload(payload),
    status: "processing",
    attempts: 1,
    next_attempt_at: 0,
    retry_history: "[]",
    last_error: null,
    error_kind: null,
    flow_execution_id: null,
    trace_context: null,
    received_at: 0,
    started_at: 0,
    domain: "global",
    ...extra,
  };
}

/** An instance with the sending remote system its correlations point to. */
function instance() {
  const env = memoryInstance();
  env.db.$client
    .prepare(
      "INSERT INTO remote_system (id, name, base_url, created_at, updated_at) VALUES (?, 'alpha', 'http://x.invalid', 0, 0)",
    )
    .run(REMOTE);
  return env;
}

describe("InitialSyncReceiver", () => {
  it("links a single match, refuses a double one, creates where none matches, and keeps its first call", async () => {
    const env = instance();
    const one = await env.records.create(
      "incident",
      { short_description: "one", number: "INC0000001" },
      testActor,
    );
    await env.records.create("incident", { short_description: "two a", number: "INC0000002" }, testActor);
    await env.records.create("incident", { short_description: "two b", number: "INC0000002" }, testActor);
    const receiver = new InitialSyncReceiver(env.storage, env.records);
    const correlations = new CorrelationStore(env.storage);
    const flow = vi.fn(async () => ({ kind: "processed" as const, executionId: "x" }));

    const linked = jobRow(1, { value: "INC0000001" });
    await receiver.run(linked, flow);
    const link = await correlations.byLocalId(REMOTE, "l1");
    expect(link?.sysId).toBe(one.sys_id);
    expect(link?.remoteCorrelationId).toBe("c1");

    const conflict = await receiver.run(jobRow(2, { value: "INC0000002" }), flow);
    expect(conflict.kind).toBe("processed");
    expect(conflict.kind === "processed" && conflict.warning).toMatch(/matches 2 records here/);

    await receiver.run(jobRow(3, { value: "INC0000099" }), flow);
    await receiver.run(jobRow(4, null), flow);
    expect(flow).toHaveBeenCalledTimes(3); // not for the conflict

    // A re-run of the linked message (a crash after the link) keeps "linked" and links nothing more.
    await receiver.run(linked, flow);
    const p = await receiver.progress(REMOTE, "job1");
    expect(p).toMatchObject({ received: 4, linked: 1, conflicts: 1, created: 2, unchanged: 0 });
    const report = await receiver.report(REMOTE, "job1", 10);
    expect(report.items.conflicts[0]?.label).toBe("INC0000002");
    expect(report.items.linked[0]).toMatchObject({ sourceSysId: "s1", localSysId: one.sys_id });
  });

  it("counts an already correlated record as unchanged, never links a record that stands for another, and refuses a second claim", async () => {
    const env = instance();
    const rec = await env.records.create(
      "incident",
      { short_description: "x", number: "INC0000005" },
      testActor,
    );
    await env.records.create("incident", { short_description: "y", number: "INC0000006" }, testActor);
    const correlations = new CorrelationStore(env.storage);
    await correlations.create({
      remoteSystem: REMOTE,
      table: "incident",
      sysId: rec.sys_id,
      localCorrelationId: "l5",
      remoteCorrelationId: "c5",
    });
    const receiver = new InitialSyncReceiver(env.storage, env.records);
    const flow = vi.fn(async () => ({ kind: "processed" as const, executionId: "x" }));
    await receiver.run(jobRow(5, { value: "INC0000005" }), flow); // its own record: unchanged
    await receiver.run(jobRow(9, { value: "INC0000005" }), flow); // the match stands for c5: created
    await receiver.run(jobRow(6, { value: "INC0000006" }), flow); // linked
    const twice = await receiver.run(jobRow(7, { value: "INC0000006" }), flow); // claimed twice
    expect(twice.kind === "processed" && twice.warning).toMatch(/already linked/);
    expect(await receiver.progress(REMOTE, "job1")).toMatchObject({
      unchanged: 1,
      created: 1,
      linked: 1,
      conflicts: 1,
    });
  });

  it("refuses a malformed instruction with a clear error, and leaves live messages alone", async () => {
    const env = instance();
    const receiver = new InitialSyncReceiver(env.storage, env.records);
    const flow = vi.fn(async () => ({ kind: "processed" as const, executionId: "x" }));
    const bad = jobRow(7, null, { payload: JSON.stringify({ initial_sync: { job: "" } }) });
    const outcome = await receiver.run(bad, flow);
    expect(outcome.kind).toBe("error");
    expect(outcome.kind === "error" && outcome.error).toMatch(/Malformed initial sync instruction: job/);
    await receiver.run(jobRow(8, null, { payload: JSON.stringify({ changed_fields: [] }) }), flow);
    expect(flow).toHaveBeenCalledTimes(1);
    expect((await receiver.progress(REMOTE, "job1")).received).toBe(0);
  });
});

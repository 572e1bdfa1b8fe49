import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { breakInboundUpdate, databaseFingerprint, trpcQuery } from "../support/broken-inbound";
import { api, hardwareGroup, type Pair, query, startPair, trpc, waitFor } from "../support/pair";

// Try with draft (issue 15) on two real instances:
//   alpha: incident created ──▶ beta creates it;  alpha: incident updated ──▶ beta's published
//   inbound flow fails at Update Record (urgency "Urgent" is no choice) ─▶ inbound row in error
//   dry run of the draft on that row: fails the same way, then (draft fixed with a value map)
//   would write urgency 3 → 1 — and neither run changes a byte of beta's database
//   publish and reprocess ─▶ the row is processed, the record updated once

interface TryResult {
  run: {
    status: string;
    error?: { message: string; nodeId?: string };
    steps: Array<{ nodeId: string; type: string; replayed?: boolean }>;
  } | null;
  effects: Array<{
    kind: string;
    op?: string;
    changes?: Array<{ field: string; before: unknown; after: unknown }>;
    error?: string;
  }>;
  published: {
    version: number;
    failedNodeId: string | null;
    effects: Array<{ type: string; inputs: unknown }>;
  } | null;
  sameFailure: { nodeId: string | null; ids: number[] };
  flowId: string;
}

describe("try with draft", () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair();
  });
  afterAll(async () => {
    await pair?.stop();
  });

  it("runs the draft on a failed row's real inputs without changing the database, then publishes and reprocesses", async () => {
    // ARRANGE: a synced incident whose next update fails on beta at Update Record
    const flowId = await breakInboundUpdate(pair.beta);
    const group = await hardwareGroup(pair.alpha);
    const created = await api(pair.alpha, "POST", "/api/now/table/incident", {
      short_description: "Dry run 1",
      assignment_group: group,
    });
    const sysId = created.body.result.sys_id as string;
    const processed = () =>
      query<{ n: number }>(pair.beta, "SELECT count(*) AS n FROM inbound_queue WHERE status = 'processed'")[0]
        ?.n ?? 0;
    await waitFor(() => processed() === 1, 20_000, "beta to create the incident");
    await api(pair.alpha, "PATCH", `/api/now/table/incident/${sysId}`, {
      short_description: "Dry run 1 (updated)",
    });
    await waitFor(
      () => query(pair.beta, "SELECT 1 FROM inbound_queue WHERE status = 'error'").length === 1,
      20_000,
      "the update to fail on beta",
    );
    const [failed] = query<{ sequence: number; last_error: string }>(
      pair.beta,
      "SELECT sequence, last_error FROM inbound_queue WHERE status = 'error'",
    );
    expect(failed?.last_error).toMatch(/Invalid choice value "Urgent" for field urgency/);
    const rowId = failed?.sequence ?? 0;
    await new Promise((r) => setTimeout(r, 500)); // execution journals are flushed after the run

    // ACT 1: the draft as published (still broken)
    const before = databaseFingerprint(pair.beta);
    const broken = await trpc<TryResult>(pair.beta, "tryDraft.run", { queue: "inbound", id: rowId });
    expect(databaseFingerprint(pair.beta)).toEqual(before);

    // ASSERT 1: it fails where the real run failed, and says what it tried to write
    expect(broken.run?.status).toBe("error");
    expect(broken.run?.error?.nodeId).toBe("update");
    expect(broken.published?.failedNodeId).toBe("update");
    expect(broken.sameFailure).toEqual({ nodeId: "update", ids: [rowId] });
    const tried = broken.effects.find((e) => e.kind === "record" && e.op === "update");
    expect(tried?.error).toMatch(/Invalid choice value "Urgent"/);
    expect(tried?.changes).toContainEqual({ field: "urgency", before: "3", after: "Urgent" });

    // ACT 2: fix the draft with a value map, dry-run again
    const flow = await trpcQuery<{
      draft: { nodes: Array<{ id: string; config: Record<string, unknown> }> };
    }>(pair.beta, "flows.get", { id: flowId });
    const map = flow.draft.nodes.find((n) => n.id === "map_update");
    if (!map) throw new Error("no map_update");
    map.config.rows = [
      { field: "urgency", value: { kind: "literal", value: "Urgent" }, valueMap: { Urgent: "1" } },
    ];
    await trpc(pair.beta, "flows.saveDraft", { id: flowId, graph: flow.draft });
    const beforeFixed = databaseFingerprint(pair.beta);
    const fixed = await trpc<TryResult>(pair.beta, "tryDraft.run", { queue: "inbound", id: rowId });
    expect(databaseFingerprint(pair.beta)).toEqual(beforeFixed);

    // ASSERT 2: the draft completes and would write urgency 3 → 1 (and the new description)
    expect(fixed.run?.status).toBe("completed");
    const write = fixed.effects.find((e) => e.kind === "record" && e.op === "update");
    expect(write?.error).toBeUndefined();
    expect(write?.changes).toContainEqual({ field: "urgency", before: "3", after: "1" });
    expect(write?.changes).toContainEqual({
      field: "short_description",
      before: "Dry run 1",
      after: "Dry run 1 (updated)",
    });

    // ACT 3a: a draft with errors is neither published nor reprocessed (the usual refusal)
    const broken3 = structuredClone(flow.draft);
    const update = broken3.nodes.find((n) => n.id === "update");
    if (!update) throw new Error("no update node");
    update.config.table = "";
    await trpc(pair.beta, "flows.saveDraft", { id: flowId, graph: broken3 });
    await expect(
      trpc(pair.beta, "tryDraft.publishAndReprocess", { flowId, queue: "inbound", ids: [rowId] }),
    ).rejects.toThrow(/The flow has \d+ errors?; fix (it|them) before publishing/);
    expect(query(pair.beta, "SELECT status FROM inbound_queue WHERE sequence = ?", rowId)).toEqual([
      { status: "error" },
    ]);
    expect(query(pair.beta, "SELECT latest_version AS v FROM flow WHERE id = ?", flowId)).toEqual([{ v: 2 }]);
    await trpc(pair.beta, "flows.saveDraft", { id: flowId, graph: flow.draft });

    // ACT 3: publish and reprocess
    const outcome = await trpc<{ version: number; changed: number[] }>(
      pair.beta,
      "tryDraft.publishAndReprocess",
      {
        flowId,
        queue: "inbound",
        ids: fixed.sameFailure.ids,
      },
    );
    expect(outcome.changed).toEqual([rowId]);

    // ASSERT 3: processed once, the record fixed, still one record
    await waitFor(() => processed() === 2, 20_000, "the reprocessed row");
    const records = query<{ urgency: string; d: string }>(
      pair.beta,
      "SELECT json_extract(data, '$.urgency') AS urgency, json_extract(data, '$.short_description') AS d FROM record WHERE table_name = 'incident' AND json_extract(data, '$.short_description') LIKE 'Dry run 1%'",
    );
    expect(records).toEqual([{ urgency: "1", d: "Dry run 1 (updated)" }]);
  });

  it("dry-runs an outbound row: the send its last run made is replayed, not repeated; nothing leaves or changes", async () => {
    // ARRANGE: alpha's first outbound row went through (sent, correlated)
    const [row] = query<{ id: number }>(
      pair.alpha,
      "SELECT id FROM outbound_queue WHERE status = 'processed' ORDER BY id LIMIT 1",
    );
    const inboundOnBeta = () => query(pair.beta, "SELECT sequence FROM inbound_queue").length;
    const betaRows = inboundOnBeta();
    const before = databaseFingerprint(pair.alpha);

    // ACT
    const result = await trpc<TryResult>(pair.alpha, "tryDraft.run", { queue: "outbound", id: row?.id });

    // ASSERT: as a reprocess would, the draft (the published outbound template) replays the send
    // its last run made instead of sending again; alpha unchanged, beta received nothing
    expect(result.run?.status).toBe("completed");
    expect(result.run?.steps.find((st) => st.type === "send_payload")?.replayed).toBe(true);
    expect(result.effects.some((e) => e.kind === "send")).toBe(false);
    expect(result.published?.effects.some((e) => e.type === "send_payload")).toBe(true);
    expect(databaseFingerprint(pair.alpha)).toEqual(before);
    await new Promise((r) => setTimeout(r, 500));
    expect(inboundOnBeta()).toBe(betaRows);
  });
});

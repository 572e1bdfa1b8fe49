import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { payloadSysIdSql } from "../../server/queue/payload-codec";
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from "../support/otlp-receiver";
import { admin, api, hardwareGroup, type Pair, query, startPair, waitFor } from "../support/pair";

// One record's journey is one trace (issue 16 part 2), exported over OTLP/HTTP (JSON) to a
// receiver this test runs:
//   alpha: record create → flow (outbound) → step send_payload → POST /api/sync/v1/messages
//   beta:  accept message → flow (inbound) → step create_record → record create
describe("tracing across the pair", () => {
  let pair: Pair;
  let otlp: OtlpReceiver;
  beforeAll(async () => {
    otlp = await startOtlpReceiver();
    pair = await startPair({
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
      TANDEM_TRACE_URL: "http://traces.example/trace/{traceId}",
    });
  });
  afterAll(async () => {
    await pair?.stop();
    await otlp?.close();
  });

  it("puts the capture on alpha and the committed write on beta in ONE trace, in causal order", async () => {
    // ARRANGE
    const group = await hardwareGroup(pair.alpha);
    // ACT: one Hardware incident on alpha, synced to beta
    const created = await api(pair.alpha, "POST", "/api/now/table/incident", {
      short_description: "Trace me across the pair",
      assignment_group: group,
    });
    expect(created.status).toBe(201);
    const alphaId = created.body.result.sys_id as string;
    await waitFor(
      () =>
        query<{ n: number }>(
          pair.beta,
          `SELECT count(*) AS n FROM inbound_queue WHERE status = 'processed' AND ${payloadSysIdSql()} = ?`,
          alphaId,
        )[0]?.n === 1,
      20_000,
      "the incident to be processed on beta",
    );
    // The trace id the capture stored with the outbound row is the trace to follow.
    const outbound = query<{ trace_context: string | null }>(
      pair.alpha,
      "SELECT trace_context FROM outbound_queue WHERE record_sys_id = ?",
      alphaId,
    );
    expect(outbound).toHaveLength(1);
    const traceparent = JSON.parse(outbound[0]?.trace_context ?? "{}").traceparent as string;
    expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const traceId = traceparent.split("-")[1] as string;

    // The journey, root first (alpha's HTTP server span from Next.js may precede the write).
    const journey = [
      "alpha: record create",
      "alpha: flow Send hardware requests to beta",
      "alpha: step send_payload",
      "alpha: POST /api/sync/v1/messages",
      "beta: accept message",
      "beta: flow Receive hardware requests from alpha",
      "beta: step create_record",
      "beta: record create",
    ];

    // Each instance exports its spans in batches on its own timer (about every second): wait
    // until every span of the journey, from both instances, has arrived.
    const inTrace = () => otlp.spans.filter((s) => s.traceId === traceId);
    await waitFor(
      () => {
        const seen = new Set(inTrace().map((s) => `${s.service}: ${s.name}`));
        return journey.every((name) => seen.has(name));
      },
      20_000,
      "every span of the journey to reach the OTLP receiver",
    );

    // ASSERT: one trace, both instances
    const spans = inTrace();
    console.log(
      `trace ${traceId}: ${spans.length} spans: ${spans.map((s) => `${s.service}:${s.name}`).join(", ")}`,
    );
    expect(otlp.rejected).toEqual([]);
    expect(new Set(spans.map((s) => s.service))).toEqual(new Set(["alpha", "beta"]));
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    // No holes: every parent of a span in the trace was exported too (one root).
    expect(spans.filter((s) => s.parentSpanId && !byId.has(s.parentSpanId)).map((s) => s.name)).toEqual([]);
    expect(spans.filter((s) => !s.parentSpanId)).toHaveLength(1);
    const ancestry = (span: ReceivedSpan): ReceivedSpan[] => {
      const chain: ReceivedSpan[] = [span];
      let at = span;
      while (at.parentSpanId && byId.has(at.parentSpanId)) {
        at = byId.get(at.parentSpanId) as ReceivedSpan;
        chain.unshift(at);
      }
      return chain;
    };
    const committed = spans.find((s) => s.service === "beta" && s.name === "record create") as ReceivedSpan;
    const path = ancestry(committed).map((s) => `${s.service}: ${s.name}`);
    expect(path.slice(path.indexOf("alpha: record create"))).toEqual(journey);
    // Causal order: each span starts no earlier than its parent.
    const chain = ancestry(committed);
    for (let i = 1; i < chain.length; i++) {
      expect(chain[i]?.startNs).toBeGreaterThanOrEqual(chain[i - 1]?.startNs as bigint);
    }
    // Each flow's steps are spans of that flow, with their node types (no record values).
    const alphaSteps = spans.filter((s) => s.service === "alpha" && s.name.startsWith("step "));
    expect(alphaSteps.length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(spans, (_k, v) => (typeof v === "bigint" ? String(v) : v))).not.toContain(
      "Trace me across the pair",
    );

    // The flow executions on both sides carry the trace id (the execution view shows it). beta
    // may process the message before alpha has marked its row processed with its execution.
    const alphaExec = () =>
      query<{ id: string; trace_id: string | null }>(
        pair.alpha,
        `SELECT e.id, e.trace_id FROM flow_execution e JOIN outbound_queue q ON q.flow_execution_id = e.id
         WHERE q.record_sys_id = ? AND q.status = 'processed'`,
        alphaId,
      );
    await waitFor(() => alphaExec().length === 1, 10_000, "alpha's outbound row to be processed");
    expect(alphaExec()[0]?.trace_id).toBe(traceId);
    const betaExec = query<{ trace_id: string | null }>(
      pair.beta,
      `SELECT e.trace_id FROM flow_execution e JOIN inbound_queue q ON q.flow_execution_id = e.id
       WHERE ${payloadSysIdSql("q.payload")} = ?`,
      alphaId,
    );
    expect(betaExec[0]?.trace_id).toBe(traceId);
    // …and the execution view gets it with its link.
    const input = encodeURIComponent(JSON.stringify({ id: alphaExec()[0]?.id }));
    const view = await fetch(`${pair.alpha.inst.url}/api/trpc/flows.execution?input=${input}`, {
      headers: { authorization: admin },
    });
    const body = (await view.json()) as { result: { data: { traceId: string; traceUrl: string } } };
    expect(body.result.data).toMatchObject({
      traceId,
      traceUrl: `http://traces.example/trace/${traceId}`,
    });
  });
});

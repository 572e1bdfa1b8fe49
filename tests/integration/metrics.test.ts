import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StoredJournal, unpackSteps } from "../../server/flow-store/execution-journal";
import { api, hardwareGroup, type Pair, query, remoteState, startPair, trpc, waitFor } from "../support/pair";
import { parsePrometheus, type Sample, sampleValue, sumOf } from "../support/prometheus";

// GET /metrics during a sync scenario on a real pair (issue 16 part 1): the queue, flow and wire
// series must say what the databases say.
const token = "metrics-token-for-the-test-0123456789";

describe("metrics on a syncing pair", () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair({ TANDEM_METRICS_TOKEN: token });
  });
  afterAll(async () => {
    await pair?.stop();
  });

  const scrape = async (member: Pair["alpha"], auth = `Bearer ${token}`): Promise<Sample[]> => {
    const res = await fetch(`${member.inst.url}/metrics`, { headers: { authorization: auth } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).not.toContain("Metrics probe"); // no record value in any label
    return parsePrometheus(text);
  };
  const count = (member: Pair["alpha"], sql: string, ...params: unknown[]) =>
    query<{ n: number }>(member, sql, ...params)[0]?.n ?? 0;

  it("refuses a scrape without the bearer token, and with a wrong one", async () => {
    const none = await fetch(`${pair.alpha.inst.url}/metrics`);
    expect(none.status).toBe(401);
    const wrong = await fetch(`${pair.alpha.inst.url}/metrics`, {
      headers: { authorization: "Bearer not-the-token-at-all-0000" },
    });
    expect(wrong.status).toBe(401);
    // An admin's password is no substitute once a token is configured.
    const basic = await fetch(`${pair.alpha.inst.url}/metrics`, {
      headers: { authorization: `Basic ${Buffer.from("admin:admin").toString("base64")}` },
    });
    expect(basic.status).toBe(401);
  });

  it("counts queues, flows, wire batches and HTTP routes as the databases do", async () => {
    // ARRANGE: alpha's remote paused (its connection re-saved), so captured rows wait in the queue.
    const group = await hardwareGroup(pair.alpha);
    const remote = remoteState(pair.alpha);
    const remoteName = query<{ name: string }>(pair.alpha, "SELECT name FROM remote_system")[0]
      ?.name as string;
    const betaRemoteName = query<{ name: string }>(pair.beta, "SELECT name FROM remote_system")[0]
      ?.name as string;
    await trpc(pair.alpha, "syncConfig.updateRemote", {
      id: remote.id,
      data: { baseUrl: `http://127.0.0.1:${pair.beta.port}` },
    });
    const n = 4;
    for (let i = 0; i < n; i++) {
      const res = await api(pair.alpha, "POST", "/api/now/table/incident", {
        short_description: `Metrics probe ${i}`,
        assignment_group: group,
      });
      expect(res.status).toBe(201);
    }
    await new Promise((r) => setTimeout(r, 1100)); // the oldest ready row is now over a second old

    // ASSERT 1: the waiting rows, as gauges read at scrape time
    const waiting = await scrape(pair.alpha);
    const readyInDb = count(
      pair.alpha,
      "SELECT count(*) AS n FROM outbound_queue WHERE remote_system_id = ? AND status = 'ready'",
      remote.id,
    );
    expect(readyInDb).toBe(n);
    expect(
      sampleValue(waiting, "tandem_queue_depth", { queue: "outbound", remote: remoteName, status: "ready" }),
    ).toBe(readyInDb);
    expect(
      sampleValue(waiting, "tandem_queue_oldest_ready_age_seconds", {
        queue: "outbound",
        remote: remoteName,
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sampleValue(waiting, "tandem_http_request_duration_seconds_count", {
        route: "/api/now/table/{table}",
        method: "POST",
        status: "201",
      }),
    ).toBe(n);

    // ACT: release the queue and let the rows reach beta
    await trpc(pair.alpha, "syncConfig.validateAndActivate", { id: remote.id });
    await waitFor(
      () =>
        count(
          pair.beta,
          "SELECT count(*) AS n FROM inbound_queue WHERE status = 'processed' AND tandem_payload(payload) LIKE '%Metrics probe%'",
        ) >= n &&
        count(pair.alpha, "SELECT count(*) AS n FROM outbound_queue WHERE status != 'processed'") === 0,
      20_000,
      "the probes to be processed on both sides",
    );
    await new Promise((r) => setTimeout(r, 200)); // executions are written just after the run

    // ASSERT 2: alpha, the sender
    const a = await scrape(pair.alpha);
    const processedOut = count(
      pair.alpha,
      "SELECT count(*) AS n FROM outbound_queue WHERE remote_system_id = ? AND status = 'processed'",
      remote.id,
    );
    expect(processedOut).toBeGreaterThanOrEqual(n);
    expect(
      sumOf(a, "tandem_queue_rows_total", { queue: "outbound", remote: remoteName, outcome: "processed" }),
    ).toBe(processedOut);
    expect(
      sampleValue(a, "tandem_queue_depth", { queue: "outbound", remote: remoteName, status: "ready" }),
    ).toBe(0);
    expect(
      sampleValue(a, "tandem_queue_oldest_ready_age_seconds", { queue: "outbound", remote: remoteName }),
    ).toBe(0);
    // Every message sent is in one wire batch; every outbound run is one flow run.
    expect(sumOf(a, "tandem_wire_batch_size_sum", { side: "client", remote: remoteName })).toBe(processedOut);
    expect(sumOf(a, "tandem_wire_request_duration_seconds_count", { side: "client", status: "200" })).toBe(
      sumOf(a, "tandem_wire_batch_size_count", { side: "client" }),
    );
    const outboundRuns = count(
      pair.alpha,
      "SELECT count(*) AS n FROM flow_execution WHERE queue = 'outbound'",
    );
    expect(sumOf(a, "tandem_flow_run_duration_seconds_count", { kind: "outbound" })).toBe(outboundRuns);
    // whole journals name their steps' types (they are kept deflated: read them in JS)
    const sendSteps = query<{ steps: StoredJournal | null }>(
      pair.alpha,
      "SELECT steps FROM flow_execution WHERE queue = 'outbound'",
    ).filter((r) => unpackSteps(r.steps, null).some((s) => s.type === "send_payload")).length;
    expect(sumOf(a, "tandem_flow_step_duration_seconds_count", { node_type: "send_payload" })).toBe(
      sendSteps,
    );
    expect(
      sumOf(a, "tandem_sqlite_transaction_duration_seconds_count", { kind: "record_write" }),
    ).toBeGreaterThan(0);
    // prom-client's default metrics: memory and event-loop lag
    expect(sampleValue(a, "tandem_process_resident_memory_bytes")).toBeGreaterThan(0);
    expect(sampleValue(a, "tandem_nodejs_eventloop_lag_seconds")).toBeGreaterThanOrEqual(0);

    // ASSERT 3: beta, the receiver
    const b = await scrape(pair.beta);
    const receivedRows = count(pair.beta, "SELECT count(*) AS n FROM inbound_queue");
    const processedIn = count(
      pair.beta,
      "SELECT count(*) AS n FROM inbound_queue WHERE status = 'processed'",
    );
    expect(sumOf(b, "tandem_wire_batch_size_sum", { side: "receiver", remote: betaRemoteName })).toBe(
      receivedRows,
    );
    expect(
      sumOf(b, "tandem_queue_rows_total", { queue: "inbound", remote: betaRemoteName, outcome: "processed" }),
    ).toBe(processedIn);
    expect(
      sampleValue(b, "tandem_queue_depth", { queue: "inbound", remote: betaRemoteName, status: "ready" }),
    ).toBe(count(pair.beta, "SELECT count(*) AS n FROM inbound_queue WHERE status = 'ready'"));
    const inboundRuns = count(pair.beta, "SELECT count(*) AS n FROM flow_execution WHERE queue = 'inbound'");
    expect(sumOf(b, "tandem_flow_run_duration_seconds_count", { kind: "inbound" })).toBe(inboundRuns);
    expect(
      sumOf(b, "tandem_http_request_duration_seconds_count", {
        route: "/api/sync/v1/messages",
        status: "200",
      }),
    ).toBe(sumOf(b, "tandem_wire_batch_size_count", { side: "receiver" }));
    expect(
      sumOf(b, "tandem_sqlite_transaction_duration_seconds_count", { kind: "inbound_accept" }),
    ).toBeGreaterThan(0);
  });
});

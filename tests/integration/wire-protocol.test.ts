import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoCredentials } from "../../server/instance/demo-sync-seed";
import { sign } from "../../server/transport/signing";
import { basic } from "../support/instances";
import { api, type Pair, query, startPair, trpc, waitFor } from "../support/pair";

// The receiving side of the wire protocol (SPEC 3.3), spoken to directly as alpha would.
describe("wire protocol: POST /api/sync/v1/messages", () => {
  let pair: Pair;
  let creds: ReturnType<typeof demoCredentials>;
  const maxBody = 64 * 1024;
  beforeAll(async () => {
    pair = await startPair({ TANDEM_MAX_BODY_BYTES: String(maxBody) });
    creds = demoCredentials(pair.secret, "alpha", "beta");
  });
  afterAll(async () => {
    await pair?.stop();
  });

  const message = (overrides: Record<string, unknown> = {}) => ({
    id: randomUUID(),
    process_event: "Hardware Request",
    operation: "create",
    sender_correlation_id: randomUUID().replaceAll("-", ""),
    receiver_correlation_id: null,
    lane_sequence: 1,
    payload: {
      capture_metadata: {
        changed_by: "admin",
        timestamp: new Date().toISOString(),
        capture_definition: "t",
        operation: "create",
        source_table: "incident",
        sys_id: "x",
      },
      changed_fields: [
        {
          key: "short_description",
          value: `Wire ${randomUUID()}`,
          display_value: "",
          changed: true,
          clock: { counter: 1, origin: "a" },
        },
      ],
      journal_entries: [],
      attachment_metadata: [],
    },
    ...overrides,
  });

  async function post(
    body: string,
    opts: { password?: string; secret?: string; at?: Date; signature?: string } = {},
  ) {
    const headers = sign(opts.secret ?? creds.signingSecret, `msg_${randomUUID()}`, body, opts.at);
    if (opts.signature) headers["webhook-signature"] = opts.signature;
    const res = await fetch(`${pair.beta.inst.url}/api/sync/v1/messages`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: basic(creds.user, opts.password ?? creds.password),
        ...headers,
      },
      body,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }
  const inboundCount = () =>
    query<{ n: number }>(pair.beta, "SELECT count(*) AS n FROM inbound_queue")[0]?.n ?? 0;

  it("applies the same message delivered twice once", async () => {
    const m = message();
    const first = await post(JSON.stringify({ messages: [m] }));
    const second = await post(JSON.stringify({ messages: [m] }));
    expect(first.status).toBe(200);
    expect((first.body.results as Array<{ status: string }>)[0]?.status).toBe("accepted");
    expect(
      (second.body.results as Array<{ status: string; receiver_correlation_id: string }>)[0],
    ).toMatchObject({
      status: "duplicate",
      receiver_correlation_id: (first.body.results as Array<{ receiver_correlation_id: string }>)[0]
        ?.receiver_correlation_id,
    });
    const description = m.payload.changed_fields[0]?.value;
    await waitFor(
      async () =>
        (
          await api<{ result: unknown[] }>(
            pair.beta,
            "GET",
            `/api/now/table/incident?sysparm_query=short_description=${description}`,
          )
        ).body.result.length === 1,
      3000,
      "the record",
    );
    await new Promise((r) => setTimeout(r, 200));
    expect(query(pair.beta, "SELECT sequence FROM inbound_queue WHERE message_id = ?", m.id)).toHaveLength(1);
    expect(
      (
        await api<{ result: unknown[] }>(
          pair.beta,
          "GET",
          `/api/now/table/incident?sysparm_query=short_description=${description}`,
        )
      ).body.result,
    ).toHaveLength(1);
  });

  it("answers 401 to a bad signature, a wrong password and a stale timestamp, and stores nothing", async () => {
    const before = inboundCount();
    const body = JSON.stringify({ messages: [message()] });
    const badSignature = await post(body, { signature: "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" });
    const wrongPassword = await post(body, { password: "nope" });
    const stale = await post(body, { at: new Date(Date.now() - 6 * 60_000) });
    const otherSecret = await post(body, {
      secret: `whsec_${Buffer.from("another pair's secret").toString("base64")}`,
    });
    for (const r of [badSignature, wrongPassword, stale, otherSecret]) expect(r.status).toBe(401);
    expect(JSON.stringify(wrongPassword.body)).toMatch(/Wrong user name or password/);
    expect(JSON.stringify(stale.body)).toMatch(/timestamp/i);
    expect(inboundCount()).toBe(before);
  });

  it("answers 400 naming the problem for malformed bodies, and stores nothing", async () => {
    const before = inboundCount();
    const broken = await post("{not json");
    expect(broken.status).toBe(400);
    expect(JSON.stringify(broken.body)).toMatch(/Malformed JSON/);
    const { process_event: _drop, ...missing } = message();
    const invalid = await post(JSON.stringify({ messages: [message(), missing] }));
    expect(invalid.status).toBe(400);
    expect(JSON.stringify(invalid.body)).toMatch(/messages\[1\]\.process_event/);
    const empty = await post(JSON.stringify({ messages: [] }));
    expect(empty.status).toBe(400);
    const badTrace = await post(
      JSON.stringify({ messages: [message({ trace_context: { traceparent: "not-a-traceparent" } })] }),
    );
    expect(badTrace.status).toBe(400);
    expect(JSON.stringify(badTrace.body)).toMatch(/messages\[0\]\.trace_context\.traceparent/);
    expect(inboundCount()).toBe(before);
  });

  it("accepts the optional W3C trace context of a message (tracing off here: nothing is stored for it)", async () => {
    const m = message({
      trace_context: {
        traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        tracestate: "x=1",
      },
    });
    const res = await post(JSON.stringify({ messages: [m] }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ results: [{ id: m.id, status: "accepted" }] });
    const row = query<{ trace_context: string | null }>(
      pair.beta,
      "SELECT trace_context FROM inbound_queue WHERE message_id = ?",
      m.id,
    );
    expect(row).toEqual([{ trace_context: null }]);
  });

  it("answers 413 to an oversize body before storing anything", async () => {
    const before = inboundCount();
    const big = message({ payload: { blob: "x".repeat(maxBody + 10) } });
    const res = await post(JSON.stringify({ messages: [big] }));
    expect(res.status).toBe(413);
    expect(inboundCount()).toBe(before);
  });

  it("turns a message for an event with no inbound flow into an error row, keeps other lanes going, and reprocesses once bound", async () => {
    // ARRANGE / ACT: one message for an unbound event, one normal message in another lane
    const orphan = message({ process_event: "Printer Request" });
    const normal = message();
    const res = await post(JSON.stringify({ messages: [orphan, normal] }));
    expect(res.status).toBe(200);

    // ASSERT: the orphan is an error naming event and remote; the other lane was processed
    await waitFor(
      () =>
        query<{ status: string }>(
          pair.beta,
          "SELECT status FROM inbound_queue WHERE message_id = ?",
          orphan.id,
        )[0]?.status === "error",
      3000,
      "the error row",
    );
    const row = query<{ sequence: number; last_error: string }>(
      pair.beta,
      "SELECT sequence, last_error FROM inbound_queue WHERE message_id = ?",
      orphan.id,
    )[0];
    expect(row?.last_error).toMatch(/process event "Printer Request" from remote system "alpha"/);
    await waitFor(
      () =>
        query<{ status: string }>(
          pair.beta,
          "SELECT status FROM inbound_queue WHERE message_id = ?",
          normal.id,
        )[0]?.status === "processed",
      3000,
      "the other lane",
    );

    // ACT: bind an inbound flow to the event, then reprocess the row
    const overview = await fetch(`${pair.beta.inst.url}/api/trpc/syncConfig.overview`, {
      headers: { authorization: basic("admin", "admin") },
    });
    const config = (
      (await overview.json()) as {
        result: {
          data: {
            definitions: Array<{ id: string }>;
            bindings: Array<{ direction: string; flowId: string; remoteSystemId: string }>;
          };
        };
      }
    ).result.data;
    const inbound = config.bindings.find((b) => b.direction === "inbound");
    const event = await trpc<{ id: string }>(pair.beta, "syncConfig.createEvent", {
      definitionId: config.definitions[0]?.id,
      name: "Printer Request",
    });
    await trpc(pair.beta, "syncConfig.createBinding", {
      direction: "inbound",
      processEventId: event.id,
      remoteSystemId: inbound?.remoteSystemId,
      flowId: inbound?.flowId,
    });
    const result = await trpc<{ changed: number[] }>(pair.beta, "queues.reprocess", {
      queue: "inbound",
      ids: [row?.sequence],
    });
    expect(result.changed).toEqual([row?.sequence]);

    // ASSERT: processed, and the reprocess is in the row's history with who did it
    await waitFor(
      () =>
        query<{ status: string }>(
          pair.beta,
          "SELECT status FROM inbound_queue WHERE message_id = ?",
          orphan.id,
        )[0]?.status === "processed",
      3000,
      "the reprocessed row",
    );
    expect(
      query(pair.beta, 'SELECT action, "user" FROM queue_action WHERE row_id = ?', row?.sequence),
    ).toEqual([{ action: "reprocess", user: "admin" }]);
  });
});

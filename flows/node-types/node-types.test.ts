import { describe, expect, it } from "vitest";
import { RetriableError } from "../ports/errors";
import { NODE_TYPES } from "../registry/registry";
import { PALETTE_GROUPS } from "../registry/types";
import { literal, pill } from "../schema/binding";
import { sampleIncidentPayload } from "../templates/inbound-basic/sample-payload";
import { runNode } from "../testing/harness";
import { createMemoryPorts } from "../testing/memory-ports";

// Each test runs one node the way a flow does:   start → node

const ok = (s: { status: string; error?: { message: string } }) => {
  expect(s.error?.message).toBeUndefined();
  expect(s.status).toBe("completed");
};

describe("registry", () => {
  it("lists every SPEC 4.2 node type once, each with an error port (End excepted) and defaults", () => {
    const ids = NODE_TYPES.map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(26); // SPEC 4.2's 25, plus Remove Deleted Attachments (issue 7)
    for (const n of NODE_TYPES) {
      if (n.role !== "end") expect(n.ports).toContain("error");
      expect(n.label && n.description && n.version >= 1).toBeTruthy();
      expect(PALETTE_GROUPS).toContain(n.group);
    }
  });
});

describe("correlation nodes", () => {
  it("lookup_correlation finds by local record, and reports not found", async () => {
    const ports = createMemoryPorts();
    await ports.correlations.create({ remoteSystem: "beta", table: "incident", sysId: "s1" });
    const cfg = {
      by: "local_record",
      remoteSystem: literal("beta"),
      table: literal("incident"),
      sysId: literal("s1"),
    };
    const { step } = await runNode("lookup_correlation", cfg, { ports });
    ok(step);
    expect(step.outputs).toMatchObject({ found: true, correlation: { sysId: "s1" } });
    const miss = await runNode("lookup_correlation", { ...cfg, sysId: literal("nope") }, { ports });
    expect(miss.step.outputs).toMatchObject({ found: false, correlation: null });
  });

  it("lookup_correlation falls back from local to remote id; fails without a remote system", async () => {
    const ports = createMemoryPorts();
    await ports.correlations.create({
      remoteSystem: "a",
      table: "incident",
      sysId: "s",
      remoteCorrelationId: "R",
    });
    const cfg = {
      by: "local_or_remote_id",
      remoteSystem: literal("a"),
      localCorrelationId: literal("x"),
      remoteCorrelationId: literal("R"),
    };
    expect((await runNode("lookup_correlation", cfg, { ports })).step.outputs).toMatchObject({ found: true });
    const bad = await runNode(
      "lookup_correlation",
      { ...cfg, remoteSystem: pill("inputs.missing") },
      { ports, inputs: { missing: "" } },
    );
    expect(bad.step.status).toBe("error");
    expect(bad.step.error?.message).toMatch(/remoteSystem/);
  });

  it("create_correlation creates once, then returns the existing link; fails without sys_id", async () => {
    const ports = createMemoryPorts();
    const cfg = {
      remoteSystem: literal("b"),
      table: literal("incident"),
      sysId: literal("s1"),
      remoteCorrelationId: literal("R1"),
    };
    ok((await runNode("create_correlation", cfg, { ports })).step);
    ok((await runNode("create_correlation", cfg, { ports })).step);
    expect(ports.correlations.all).toHaveLength(1);
    const bad = await runNode(
      "create_correlation",
      { ...cfg, sysId: pill("inputs.none") },
      { ports, inputs: { none: null } },
    );
    expect(bad.step.error?.field).toBe("sysId");
  });

  it("update_correlation_state deactivates; unknown correlation is an error", async () => {
    const ports = createMemoryPorts();
    const c = await ports.correlations.create({ remoteSystem: "b", table: "incident", sysId: "s1" });
    const cfg = {
      remoteSystem: literal("b"),
      localCorrelationId: literal(c.localCorrelationId),
      state: "inactive",
    };
    ok((await runNode("update_correlation_state", cfg, { ports })).step);
    expect(await ports.correlations.lookupByLocalRecord("b", "incident", "s1")).toBeNull();
    const bad = await runNode(
      "update_correlation_state",
      { ...cfg, localCorrelationId: literal("zzz") },
      { ports },
    );
    expect(bad.step.error?.code).toBe("NOT_FOUND");
  });

  it("correlate creates when missing and reuses after; a missing table fails", async () => {
    const ports = createMemoryPorts();
    const cfg = { remoteSystem: literal("b"), table: literal("incident"), sysId: literal("s1") };
    expect((await runNode("correlate", cfg, { ports })).step.outputs).toMatchObject({ created: true });
    expect((await runNode("correlate", cfg, { ports })).step.outputs).toMatchObject({ created: false });
    const noTable = await runNode(
      "correlate",
      { ...cfg, table: pill("inputs.t") },
      { ports, inputs: { t: null } },
    );
    expect(noTable.step.error?.field).toBe("table");
  });
});

describe("sync nodes", () => {
  const sendCfg = {
    remoteSystem: literal("beta"),
    processEvent: literal("incident"),
    operation: literal("create"),
    payload: literal({ a: 1 }),
    laneSequence: literal(3),
  };

  it("send_payload sends one message keyed by the step's idempotency key", async () => {
    const { step, ports } = await runNode("send_payload", sendCfg);
    ok(step);
    expect(ports.transport.sent).toHaveLength(1);
    expect(ports.transport.sent[0]?.message).toMatchObject({
      id: "row-1:node",
      lane_sequence: 3,
      process_event: "incident",
    });
    expect(step.outputs).toMatchObject({ status: "accepted", newCorrelation: true, messageId: "row-1:node" });
  });

  it("send_payload derives a new record's correlation id from its key, so a re-run sends the same one", async () => {
    const first = await runNode("send_payload", sendCfg);
    const again = await runNode("send_payload", sendCfg);
    const id = (r: typeof first) =>
      (r.step?.outputs as { senderCorrelationId?: string } | undefined)?.senderCorrelationId;
    expect(id(first)).toMatch(/^[0-9a-f]{32}$/);
    expect(id(again)).toBe(id(first));
    expect(first.ports.transport.sent[0]?.message.sender_correlation_id).toBe(id(first));
  });

  it("send_payload: a rejected message is a data error, a connection error is retriable", async () => {
    const ports = createMemoryPorts();
    ports.transport.connectTo(() => ({ status: "rejected", error: "bad field" }));
    const rejected = await runNode("send_payload", sendCfg, { ports });
    expect(rejected.step.error).toMatchObject({ code: "MESSAGE_REJECTED", retriable: false });
    const ports2 = createMemoryPorts();
    ports2.transport.failNext(new RetriableError("connection refused"));
    const down = await runNode("send_payload", sendCfg, { ports: ports2 });
    expect(down.step.error).toMatchObject({ retriable: true });
  });

  it("send_payload: a plain Error from the transport (reset mid-answer) is an unknown outcome, retried", async () => {
    const ports = createMemoryPorts();
    ports.transport.failNext(Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }));
    const cut = await runNode("send_payload", sendCfg, { ports });
    expect(cut.step.error).toMatchObject({ code: "UNKNOWN_OUTCOME", retriable: true });
  });

  it("transform_payload keys changed fields by name; rejects a non-payload", async () => {
    const { step } = await runNode("transform_payload", {
      payload: literal(JSON.stringify(sampleIncidentPayload)),
    });
    ok(step);
    const out = step.outputs as {
      changed_fields: Record<string, { value: unknown }>;
      operation: string;
      changed_keys: string[];
    };
    expect(out.changed_fields.short_description?.value).toBe("Printer on fire");
    expect(out.operation).toBe("create");
    expect(out.changed_keys).not.toContain("close_code");
    const bad = await runNode("transform_payload", { payload: literal("{not json") });
    expect(bad.step.error?.code).toBe("PAYLOAD_INVALID");
    const wrong = await runNode("transform_payload", { payload: literal({ changed_fields: "nope" }) });
    expect(wrong.step.error?.message).toMatch(/changed_fields/);
  });

  const meta = (key: string, hash: string, file = "a.txt") => ({
    key,
    hash,
    file_name: file,
    content_type: "text/plain",
    size_bytes: 1,
  });

  it("get_attachment_metadata lists all or deltas; a missing record id fails", async () => {
    const ports = createMemoryPorts();
    ports.attachments.add({ table: "incident", sysId: "s" }, meta("k1", "h1"));
    ports.attachments.sentTo.set("beta", new Set(["k1"]));
    ports.attachments.add({ table: "incident", sysId: "s" }, meta("k2", "h2"));
    const cfg = {
      table: literal("incident"),
      sysId: literal("s"),
      mode: "deltas",
      remoteSystem: literal("beta"),
    };
    expect((await runNode("get_attachment_metadata", cfg, { ports })).step.outputs).toMatchObject({
      count: 1,
    });
    expect(
      (await runNode("get_attachment_metadata", { ...cfg, mode: "all" }, { ports })).step.outputs,
    ).toMatchObject({ count: 2 });
    const noId = await runNode(
      "get_attachment_metadata",
      { ...cfg, sysId: pill("inputs.s") },
      { ports, inputs: { s: "" } },
    );
    expect(noId.step.status).toBe("error");
  });

  it("identify_new_attachments keeps unknown (hash, name) pairs; rejects malformed metadata", async () => {
    const ports = createMemoryPorts();
    ports.attachments.add({ table: "incident", sysId: "s" }, meta("k1", "h1"));
    const cfg = {
      table: literal("incident"),
      sysId: literal("s"),
      attachments: literal([meta("x", "h1"), meta("y", "h9")]),
    };
    expect((await runNode("identify_new_attachments", cfg, { ports })).step.outputs).toMatchObject({
      count: 1,
    });
    const bad = await runNode(
      "identify_new_attachments",
      { ...cfg, attachments: literal([{ key: 1 }]) },
      { ports },
    );
    expect(bad.step.error?.code).toBe("INPUT_INVALID");
  });

  it("request_attachments asks once per idempotency key; rejects malformed metadata", async () => {
    const ports = createMemoryPorts();
    const cfg = {
      remoteSystem: literal("a"),
      table: literal("incident"),
      sysId: literal("s"),
      attachments: literal([meta("k", "h")]),
    };
    expect((await runNode("request_attachments", cfg, { ports })).step.outputs).toEqual({ requested: 1 });
    await runNode("request_attachments", cfg, { ports });
    expect(ports.attachments.requests).toHaveLength(1);
    expect(
      (await runNode("request_attachments", { ...cfg, attachments: literal("x") }, { ports })).step.status,
    ).toBe("error");
  });

  it("move_attachments moves staged files to the record; a missing correlation id fails", async () => {
    const ports = createMemoryPorts();
    ports.attachments.staged.set("a:c1", [meta("k", "h")]);
    const cfg = {
      remoteSystem: literal("a"),
      correlationId: literal("c1"),
      table: literal("incident"),
      sysId: literal("s"),
    };
    expect((await runNode("move_attachments", cfg, { ports })).step.outputs).toEqual({ moved: 1 });
    expect(await ports.attachments.list({ table: "incident", sysId: "s" }, "all")).toHaveLength(1);
    const noCorr = await runNode(
      "move_attachments",
      { ...cfg, correlationId: pill("inputs.c") },
      { ports, inputs: { c: null } },
    );
    expect(noCorr.step.status).toBe("error");
  });

  it("remove_attachments removes only entries marked deleted; identify_new never asks for them", async () => {
    const ports = createMemoryPorts();
    const record = { table: "incident", sysId: "s" };
    ports.attachments.add(record, meta("k1", "h1", "a.txt"));
    ports.attachments.add(record, meta("k2", "h2", "b.txt"));
    const incoming = [{ ...meta("", "h1", "a.txt"), deleted: true }, meta("k3", "h3", "c.txt")];
    const cfg = {
      remoteSystem: literal("a"),
      table: literal("incident"),
      sysId: literal("s"),
      attachments: literal(incoming),
    };
    expect((await runNode("remove_attachments", cfg, { ports })).step.outputs).toEqual({ removed: 1 });
    expect((await ports.attachments.list(record, "all")).map((a) => a.file_name)).toEqual(["b.txt"]);
    const fresh = await runNode(
      "identify_new_attachments",
      { table: literal("incident"), sysId: literal("s"), attachments: literal(incoming) },
      { ports },
    );
    expect(
      (fresh.step.outputs as { attachments: Array<{ file_name: string }> }).attachments.map(
        (a) => a.file_name,
      ),
    ).toEqual(["c.txt"]);
  });
});

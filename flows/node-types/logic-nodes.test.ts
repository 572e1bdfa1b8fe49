import { describe, expect, it } from "vitest";
import { RetriableError } from "../ports/errors";
import { literal, pill } from "../schema/binding";
import { runNode } from "../testing/harness";
import { createMemoryPorts } from "../testing/memory-ports";

// Each test runs one node the way a flow does:   start → node

describe("logic nodes", () => {
  it("if compares with each operator and picks the port", async () => {
    const cases: Array<[string, unknown, unknown, string]> = [
      ["is_true", true, null, "true"],
      ["is_false", "false", null, "true"],
      ["equals", 2, "2", "true"],
      ["not_equals", "a", "a", "false"],
      ["is_empty", [], null, "true"],
      ["is_not_empty", "", null, "false"],
      ["greater_than", 3, 2, "true"],
      ["less_than", 3, 2, "false"],
      ["contains", "hardware", "ware", "true"],
    ];
    for (const [operator, left, right, port] of cases) {
      const inputs = { l: left, r: right };
      const { step } = await runNode(
        "if",
        { left: pill("inputs.l"), operator, right: pill("inputs.r") },
        { inputs },
      );
      expect(step.port, operator).toBe(port);
    }
  });

  it("if with an unknown operator is refused at compile time", async () => {
    await expect(runNode("if", { left: literal(1), operator: "resembles" })).rejects.toThrow(
      /INVALID_CONFIG/,
    );
  });

  it("for_each rejects a non-list and a list over its limit", async () => {
    expect((await runNode("for_each", { items: literal("abc") })).step.error?.code).toBe("INPUT_INVALID");
    expect((await runNode("for_each", { items: literal([1, 2, 3]), maxItems: 2 })).step.status).toBe("error");
  });

  it("set_variables outputs its assignments; a bad name is refused at compile time", async () => {
    const { step } = await runNode("set_variables", { assignments: [{ name: "x", value: literal(5) }] });
    expect(step.outputs).toEqual({ x: 5 });
    await expect(
      runNode("set_variables", { assignments: [{ name: "1x", value: literal(5) }] }),
    ).rejects.toThrow(/identifier/);
  });

  it("end assigns outputs; a non-binding value is refused at compile time", async () => {
    const { step } = await runNode("end", { values: { status: literal("ok") } });
    expect(step.outputs).toEqual({ status: "ok" });
    await expect(runNode("end", { values: { status: "ok" } })).rejects.toThrow(/INVALID_CONFIG/);
  });
});

describe("operations nodes", () => {
  it("log writes a line; an empty message fails", async () => {
    const { step, ports } = await runNode("log", {
      level: "warn",
      message: literal("hello"),
      data: literal({ a: 1 }),
    });
    expect(step.status).toBe("completed");
    expect(ports.log.lines[0]).toMatchObject({
      level: "warn",
      message: "hello",
      data: { a: 1, nodeId: "node" },
    });
    expect((await runNode("log", { message: pill("inputs.m") }, { inputs: { m: "" } })).step.status).toBe(
      "error",
    );
  });

  it("send_email sends once per idempotency key; a bad address fails", async () => {
    const ports = createMemoryPorts();
    const cfg = { to: literal("a@x.io, b@x.io"), subject: literal("S"), text: literal("T") };
    await runNode("send_email", cfg, { ports });
    const again = await runNode("send_email", cfg, { ports });
    expect(ports.email.sent).toHaveLength(1);
    expect(again.step.outputs).toMatchObject({ duplicate: true });
    expect((await runNode("send_email", { ...cfg, to: literal("nobody") })).step.error?.field).toBe("to");
  });

  it("reprocess_queue_record and skip_queue_record change row status, safe to repeat; no ids fails", async () => {
    const ports = createMemoryPorts();
    ports.queues.rows.set("q1", { queue: "outbound", status: "error" });
    ports.queues.rows.set("q2", { queue: "outbound", status: "ready" });
    const rep = await runNode("reprocess_queue_record", { ids: literal(["q1"]) }, { ports });
    expect(rep.step.outputs).toEqual({ count: 1 });
    expect(
      (await runNode("reprocess_queue_record", { ids: literal(["q1"]) }, { ports })).step.outputs,
    ).toEqual({ count: 0 });
    expect((await runNode("skip_queue_record", { ids: literal("q2") }, { ports })).step.outputs).toEqual({
      count: 1,
    });
    expect(ports.queues.rows.get("q2")?.status).toBe("skipped");
    expect((await runNode("skip_queue_record", { ids: literal([]) }, { ports })).step.status).toBe("error");
  });

  it("call_subflow passes inputs and returns outputs; an unknown subflow fails", async () => {
    const ports = createMemoryPorts();
    ports.subflows.register("double", async (inputs) => ({ y: Number(inputs.x) * 2 }));
    const { step } = await runNode("call_subflow", { flow: "double", inputs: { x: literal(21) } }, { ports });
    expect(step.outputs).toEqual({ outputs: { y: 42 } });
    expect(ports.subflows.calls[0]?.idempotencyKey).toBe("row-1:node");
    const missing = await runNode("call_subflow", { flow: "nope" }, { ports });
    expect(missing.step.error?.code).toBe("NOT_FOUND");
  });

  it("a subflow's connection error stays retriable", async () => {
    const ports = createMemoryPorts();
    ports.subflows.register("down", async () => {
      throw new RetriableError("peer unreachable");
    });
    expect((await runNode("call_subflow", { flow: "down" }, { ports })).step.error?.retriable).toBe(true);
  });
});

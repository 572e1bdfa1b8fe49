import { describe, expect, it, vi } from "vitest";
import { DataError, RetriableError } from "../ports/errors";
import { expression, literal, pill } from "../schema/binding";
import { flow } from "../testing/builders";
import { createMemoryPorts, slowPort } from "../testing/memory-ports";
import { runFlow } from "./run";
import { frozenMs } from "./watchdog";

const sendCfg = {
  remoteSystem: literal("beta"),
  processEvent: literal("incident"),
  operation: literal("update"),
  payload: pill("inputs.payload"),
};

describe("interpreter: branches and data", () => {
  //   start → check ─true→ yes(end)
  //              └─false→ no(end)
  it("follows the If branch the condition picks and assigns outputs at End", async () => {
    // ARRANGE
    const dag = flow()
      .input("n", "number")
      .output("branch", "string")
      .start()
      .node("check", "if", { left: pill("inputs.n"), operator: "greater_than", right: literal(10) })
      .node("yes", "end", { values: { branch: literal("big") } })
      .node("no", "end", { values: { branch: literal("small") } })
      .chain("start", "check")
      .edge("check", "yes", "true")
      .edge("check", "no", "false")
      .compile();
    // ACT
    const big = await runFlow(dag, { n: 11 }, { ports: createMemoryPorts() });
    const small = await runFlow(dag, { n: 1 }, { ports: createMemoryPorts() });
    // ASSERT
    expect(big).toMatchObject({ status: "completed", outputs: { branch: "big" } });
    expect(small.outputs).toEqual({ branch: "small" });
    expect(small.steps.map((s) => s.nodeId)).toEqual(["start", "check", "no"]);
  });

  //   start → vars → calc(expression) → end
  it("Set Variables feeds pills and expressions", async () => {
    // ARRANGE
    const dag = flow()
      .input("name", "string")
      .start()
      .node("vars", "set_variables", { assignments: [{ name: "greeting", value: literal("Hello") }] })
      .node("end", "end", {
        values: { text: expression('vars.greeting & ", " & inputs.name'), v: pill("vars.greeting") },
      })
      .chain("start", "vars", "end")
      .compile();
    // ACT
    const r = await runFlow(dag, { name: "Ada" }, { ports: createMemoryPorts() });
    // ASSERT
    expect(r.outputs).toEqual({ text: "Hello, Ada", v: "Hello" });
  });

  //   start → loop ─each→ mail
  //             └─done→ end
  it("For Each runs its body once per item with per-item idempotency keys, then continues on done", async () => {
    // ARRANGE
    const ports = createMemoryPorts();
    const dag = flow()
      .input("to", "array")
      .start()
      .node("loop", "for_each", { items: pill("inputs.to") })
      .node("mail", "send_email", {
        to: pill("steps.loop.item"),
        subject: literal("Hi"),
        text: expression('"n=" & $string(steps.loop.index)'),
      })
      .node("end", "end", { values: { count: pill("steps.loop.count") } })
      .chain("start", "loop")
      .edge("loop", "mail", "each")
      .edge("loop", "end", "done")
      .compile();
    // ACT
    const r = await runFlow(dag, { to: ["a@x.io", "b@x.io"] }, { ports, runKey: "row9" });
    // ASSERT
    expect(r.status).toBe("completed");
    expect(r.outputs).toEqual({ count: 2 });
    expect(ports.email.sent.map((m) => [m.to[0], m.text, m.idempotencyKey])).toEqual([
      ["a@x.io", "n=0", "row9:mail:0"],
      ["b@x.io", "n=1", "row9:mail:1"],
    ]);
  });
});

describe("interpreter: error port", () => {
  //   start → send ─error→ log → end
  it("a wired error port catches a data error and offers { error: { message, code } }", async () => {
    // ARRANGE
    const ports = createMemoryPorts();
    ports.transport.connectTo(() => ({ status: "rejected", error: "state is invalid" }));
    const dag = flow()
      .input("payload", "object")
      .start()
      .node("send", "send_payload", sendCfg)
      .node("log", "log", { message: pill("steps.send.error.message") })
      .node("end", "end", { values: { code: pill("steps.send.error.code") } })
      .chain("start", "send")
      .edge("send", "log", "error")
      .chain("log", "end")
      .compile();
    // ACT
    const r = await runFlow(dag, { payload: {} }, { ports });
    // ASSERT
    expect(r.status).toBe("completed");
    expect(r.outputs).toEqual({ code: "MESSAGE_REJECTED" });
    expect(ports.log.lines[0]?.message).toMatch(/state is invalid/);
    expect(r.steps.find((s) => s.nodeId === "send")).toMatchObject({ status: "error", port: "error" });
  });

  //   start → send → end        (no error port)
  it("an unwired failure ends the flow in error naming the node", async () => {
    const ports = createMemoryPorts();
    ports.transport.failNext(new DataError("boom"));
    const dag = flow()
      .input("payload", "object")
      .start()
      .node("send", "send_payload", sendCfg)
      .node("end", "end")
      .chain("start", "send", "end")
      .compile();
    const r = await runFlow(dag, { payload: {} }, { ports });
    expect(r.status).toBe("error");
    expect(r.error).toMatchObject({ nodeId: "send", message: "boom", retriable: false });
    expect(r.steps.map((s) => s.nodeId)).toEqual(["start", "send"]);
  });

  //   start → send ─error→ end
  it("a retriable error bypasses the error port: retrying is the queue's job", async () => {
    const ports = createMemoryPorts();
    ports.transport.failNext(new RetriableError("connection refused"));
    const dag = flow()
      .input("payload", "object")
      .start()
      .node("send", "send_payload", sendCfg)
      .node("end", "end")
      .chain("start", "send")
      .edge("send", "end", "error")
      .compile();
    const r = await runFlow(dag, { payload: {} }, { ports });
    expect(r.status).toBe("error");
    expect(r.error).toMatchObject({ retriable: true, nodeId: "send" });
  });
});

describe("interpreter: timeouts and cancellation", () => {
  //   start → send(slow) → end
  const slowFlow = () =>
    flow()
      .input("payload", "object")
      .start()
      .node("send", "send_payload", sendCfg)
      .node("end", "end")
      .chain("start", "send", "end")
      .compile();

  it("a step over its timeout fails the run as STEP_TIMEOUT (retriable)", async () => {
    const ports = createMemoryPorts();
    ports.transport = slowPort(ports.transport, 200);
    const r = await runFlow(slowFlow(), { payload: {} }, { ports, stepTimeoutMs: 20 });
    expect(r.status).toBe("error");
    expect(r.error).toMatchObject({ code: "STEP_TIMEOUT", retriable: true, nodeId: "send" });
    expect(r.steps.at(-1)).toMatchObject({ nodeId: "send", status: "error" });
    expect(r.durationMs).toBeLessThan(150);
  });

  it("the flow timeout bounds the whole run", async () => {
    const ports = createMemoryPorts();
    ports.transport = slowPort(ports.transport, 200);
    const r = await runFlow(slowFlow(), { payload: {} }, { ports, flowTimeoutMs: 20 });
    expect(r.error?.code).toBe("FLOW_TIMEOUT");
  });

  // process.cpuUsage() took 245-730 µs a call inside a loaded instance (up to 11 ms), and the
  // watchdog's 5 ms ticker read it on every tick while a flow waited.
  it("reads the CPU at most every 100 ms while runs wait, and a busy stall is never taken for a freeze", async () => {
    const ports = createMemoryPorts();
    ports.transport = slowPort(ports.transport, 600);
    const cpu = vi.spyOn(process, "cpuUsage");
    try {
      const run = runFlow(slowFlow(), { payload: {} }, { ports });
      // a synchronous 300 ms stall while the run waits: a gap the ticker sees, all of it on the CPU
      await new Promise((r) => setTimeout(r, 20));
      const frozenBefore = frozenMs();
      const until = performance.now() + 300;
      while (performance.now() < until) {
        // busy
      }
      const r = await run;
      expect(r.status).toBe("completed");
      expect(frozenMs() - frozenBefore).toBeLessThan(60);
      // ~55 ticks of 5 ms in the ~280 ms the run waited after the stall: a reading per 100 ms,
      // one at the gap
      expect(cpu.mock.calls.length).toBeLessThanOrEqual(8);
    } finally {
      cpu.mockRestore();
    }
  });

  it("an AbortSignal ends the run as cancelled", async () => {
    const ports = createMemoryPorts();
    ports.transport = slowPort(ports.transport, 200);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 10);
    const r = await runFlow(slowFlow(), { payload: {} }, { ports, signal: ac.signal });
    expect(r.status).toBe("cancelled");
    const pre = new AbortController();
    pre.abort();
    expect((await runFlow(slowFlow(), { payload: {} }, { ports, signal: pre.signal })).status).toBe(
      "cancelled",
    );
  });
});

describe("interpreter: idempotent replay", () => {
  //   start → send → mail → create_corr → end
  it("a resumed run reuses finished side effects instead of repeating them", async () => {
    // ARRANGE: the third step fails the first time
    const ports = createMemoryPorts();
    const dag = flow()
      .input("payload", "object")
      .input("sys", "string")
      .start()
      .node("send", "send_payload", sendCfg)
      .node("mail", "send_email", {
        to: literal("ops@x.io"),
        subject: literal("sent"),
        text: pill("steps.send.messageId"),
      })
      .node("corr", "create_correlation", {
        remoteSystem: literal("beta"),
        table: literal("incident"),
        sysId: pill("inputs.sys"),
      })
      .node("end", "end")
      .chain("start", "send", "mail", "corr", "end")
      .compile();
    // ACT
    const first = await runFlow(dag, { payload: {}, sys: null }, { ports, runKey: "row-7" });
    const second = await runFlow(
      dag,
      { payload: {}, sys: "abc" },
      { ports, runKey: "row-7", journal: first.steps },
    );
    // ASSERT
    expect(first.status).toBe("error");
    expect(second.status).toBe("completed");
    expect(ports.transport.sent).toHaveLength(1);
    expect(ports.email.sent).toHaveLength(1);
    expect(second.steps.filter((s) => s.replayed).map((s) => s.nodeId)).toEqual(["send", "mail"]);
    expect(ports.correlations.all).toHaveLength(1);
  });

  it("without a journal the same run key still cannot duplicate: the ports dedupe by key", async () => {
    const ports = createMemoryPorts();
    const dag = flow()
      .input("payload", "object")
      .start()
      .node("send", "send_payload", sendCfg)
      .chain("start", "send")
      .compile();
    await runFlow(dag, { payload: {} }, { ports, runKey: "row-8" });
    const again = await runFlow(dag, { payload: {} }, { ports, runKey: "row-8" });
    expect(again.steps[1]?.outputs).toMatchObject({ status: "duplicate" });
    expect(ports.transport.delivered).toHaveLength(1);
  });
});

describe("interpreter: journal", () => {
  it("records inputs (resolved config), outputs, status, timing per step", async () => {
    const dag = flow()
      .input("m", "string")
      .start()
      .node("log", "log", { message: pill("inputs.m") })
      .chain("start", "log")
      .compile();
    const r = await runFlow(dag, { m: "hi" }, { ports: createMemoryPorts() });
    const step = r.steps[1];
    expect(step).toMatchObject({
      nodeId: "log",
      type: "log",
      status: "completed",
      port: "next",
      outputs: { message: "hi" },
    });
    expect(step?.inputs).toMatchObject({ level: "info", message: "hi" });
    expect(step?.startedAt).toBeGreaterThan(1_600_000_000_000);
    expect(step?.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("an invalid DAG comes back as an error result, never a throw", async () => {
    const r = await runFlow({ dagVersion: 1 } as never, {}, { ports: createMemoryPorts() });
    expect(r).toMatchObject({ status: "error", error: { code: "DAG_INVALID" } });
  });
});

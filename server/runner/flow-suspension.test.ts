// Lives under server/: it freezes this process with a helper shell (node:child_process), which
// flows/ may not import.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { runFlow } from "../../flows/interpreter/run";
import { literal, pill } from "../../flows/schema/binding";
import { flow } from "../../flows/testing/builders";
import { createMemoryPorts, slowPort } from "../../flows/testing/memory-ports";

// A run whose process is frozen (SIGSTOP: an operator pausing it, a VM suspended) must not be
// charged for the time it was not running. A helper shell stops THIS process while its run
// waits on a slow step, and continues it 1.5 s later — longer than both limits:
//
//   start → send (600 ms port) → end        flow limit 1000 ms, step limit 1000 ms
//             ▲ SIGSTOP at ~50 ms, SIGCONT 1.5 s later
const dag = () =>
  flow()
    .input("payload", "object")
    .start()
    .node("send", "send_payload", {
      remoteSystem: literal("beta"),
      processEvent: literal("incident"),
      operation: literal("update"),
      payload: pill("inputs.payload"),
    })
    .node("end", "end")
    .chain("start", "send", "end")
    .compile();

describe("interpreter: a suspended process", () => {
  it("does not count frozen time against the flow and step limits", async () => {
    // ARRANGE
    const ports = createMemoryPorts();
    ports.transport = slowPort(ports.transport, 600);
    const pid = process.pid;
    const freezer = spawn("sh", ["-c", `sleep 0.05; kill -STOP ${pid}; sleep 1.5; kill -CONT ${pid}`], {
      stdio: "ignore",
    });
    await once(freezer, "spawn");
    const done = once(freezer, "exit");
    // ACT
    const r = await runFlow(dag(), { payload: {} }, { ports, flowTimeoutMs: 1000, stepTimeoutMs: 1000 });
    await done;
    // ASSERT: it really was frozen during the run, and the run still completed
    expect(r.durationMs).toBeGreaterThan(1500);
    expect(r.error).toBeUndefined();
    expect(r.status).toBe("completed");
  });

  it("still charges a wait that really lasts longer than the limit", async () => {
    const ports = createMemoryPorts();
    ports.transport = slowPort(ports.transport, 1500);
    const r = await runFlow(dag(), { payload: {} }, { ports, flowTimeoutMs: 300 });
    expect(r.error?.code).toBe("FLOW_TIMEOUT");
  });
});

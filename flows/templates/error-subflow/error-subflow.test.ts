import { describe, expect, it } from "vitest";
import { compileFlow } from "../../compiler/compile";
import { runFlow } from "../../interpreter/run";
import { createMemoryPorts } from "../../testing/memory-ports";
import { cloneTemplate, FLOW_TEMPLATES } from "../index";
import { errorSubflow } from "./flow";
import json from "./flow.json" with { type: "json" };

//   start → log → email → end

describe("Error Subflow Template", () => {
  it("flow.json is the same graph as the module, and it compiles clean", () => {
    expect(json).toEqual(errorSubflow);
    expect(compileFlow(errorSubflow).diagnostics).toEqual([]);
  });

  it("logs the error and emails the sync admins once, even when run again for the same event", async () => {
    // ARRANGE
    const dag = compileFlow(errorSubflow).dag;
    if (!dag) throw new Error("template does not compile");
    const ports = createMemoryPorts();
    const inputs = {
      remote_system: "beta",
      error_message: "connection refused",
      admin_emails: "ops@alpha.test, lead@alpha.test",
    };
    // ACT
    const r = await runFlow(dag, inputs, { ports, runKey: "beta-error-1" });
    await runFlow(dag, inputs, { ports, runKey: "beta-error-1" });
    // ASSERT
    expect(r).toMatchObject({ status: "completed", outputs: { notified: true } });
    expect(ports.log.lines[0]).toMatchObject({ level: "error", message: "Remote system beta is in error" });
    expect(ports.email.sent).toHaveLength(1);
    expect(ports.email.sent[0]).toMatchObject({
      to: ["ops@alpha.test", "lead@alpha.test"],
      subject: "[Tandem] Remote system beta is in error",
    });
  });

  it("the template index lists all three, and cloning gives an editable copy", () => {
    expect(FLOW_TEMPLATES.map((t) => [t.id, t.kind])).toEqual([
      ["outbound-basic", "outbound"],
      ["inbound-basic", "inbound"],
      ["error-subflow", "error"],
    ]);
    const copy = cloneTemplate("error-subflow", "My error flow");
    expect(copy).toMatchObject({ name: "My error flow", kind: "error" });
    expect(copy).not.toHaveProperty("id");
  });
});

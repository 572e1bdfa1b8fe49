import { compileFlow, type Diagnostic, hasErrors, type RunResult, runFlow } from "../../flows";
import { createMemoryPorts } from "../../flows/testing/memory-ports";

// The designer's test run (SPEC 5): the draft runs on the in-memory ports, so nothing reaches the
// database, the queues, the mail server or a remote system. What the memory ports saw comes back
// so the designer can show what *would* have been written.

export interface TestRunResult {
  diagnostics: Diagnostic[];
  run: RunResult | null;
  /** Log lines the Log nodes wrote. */
  logs: Array<{ level: string; message: string }>;
  /** Record writes the flow would have made. */
  writes: Array<{ op: string; table: string; sysId: string }>;
  emails: number;
  messages: number;
}

const TEST_RUN_TIMEOUT_MS = 10_000;

export async function testRun(graph: unknown, inputs: Record<string, unknown>): Promise<TestRunResult> {
  const compiled = compileFlow(graph);
  if (!compiled.dag || hasErrors(compiled.diagnostics)) {
    return { diagnostics: compiled.diagnostics, run: null, logs: [], writes: [], emails: 0, messages: 0 };
  }
  const ports = createMemoryPorts();
  const run = await runFlow(compiled.dag, inputs, {
    ports,
    runKey: `test-${Date.now()}`,
    flowTimeoutMs: TEST_RUN_TIMEOUT_MS,
  });
  return {
    diagnostics: compiled.diagnostics,
    run,
    logs: ports.log.lines.map((l) => ({ level: l.level, message: l.message })),
    writes: ports.records.writes.map((w) => ({ op: w.op, table: w.table, sysId: w.sysId })),
    emails: ports.email.sent.length,
    messages: ports.transport.sent.length,
  };
}

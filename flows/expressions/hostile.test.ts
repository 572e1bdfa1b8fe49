import { describe, expect, it } from "vitest";
import { resolvePill, walkPath } from "../interpreter/pills";
import { runFlow } from "../interpreter/run";
import { expression, pill } from "../schema/binding";
import { flow } from "../testing/builders";
import { createMemoryPorts } from "../testing/memory-ports";
import { checkExpression, evaluateExpression } from "./expressions";

// Hostile input must fail fast with a clear error and never reach Node's globals.

const data = { inputs: { a: 1, s: "x" }, steps: {}, vars: {} };

async function fails(source: string, code: RegExp, message: RegExp): Promise<number> {
  const t = performance.now();
  await expect(evaluateExpression(source, data)).rejects.toMatchObject({
    code: expect.stringMatching(code),
    message: expect.stringMatching(message),
  });
  return performance.now() - t;
}

describe("hostile expressions", () => {
  it("constructor.constructor(...)() cannot reach Function", async () => {
    expect(checkExpression('constructor.constructor("return process")()')).toMatchObject({
      ok: false,
      code: "EXPRESSION_FORBIDDEN",
    });
    await fails('constructor.constructor("return process")()', /FORBIDDEN/, /constructor/);
    // Even without the static check JSONata only reads own properties: nothing to call.
    await fails('$lookup($, "constructor")("return process")()', /FORBIDDEN/, /constructor/);
  });

  it("$eval and other evaluation of data as code is refused", async () => {
    await fails('$eval("1+1")', /FORBIDDEN/, /\$eval/);
    await fails("$eval(inputs.s)", /FORBIDDEN/, /\$eval/);
    await fails('($e := $eval; $e("1"))', /FORBIDDEN/, /\$eval/);
  });

  it("prototype paths are refused", async () => {
    await fails("inputs.__proto__", /FORBIDDEN/, /__proto__/);
    await fails("inputs.prototype", /FORBIDDEN/, /prototype/);
  });

  it("endless recursion hits the time limit fast", async () => {
    const ms = await fails("($f := function($x){ $f($x) }; $f(1))", /TIMEOUT|TOO_DEEP/, /ms|levels/);
    expect(ms).toBeLessThan(2000);
  });

  it("deep non-tail recursion hits the depth limit", async () => {
    await fails("($f := function($x){ 1 + $f($x) }; $f(1))", /TOO_DEEP|TIMEOUT/, /levels|ms/);
  });

  it("huge outputs are refused: ranges and string doubling", async () => {
    await fails("[1..10000000]", /TOO_LARGE/, /.+/);
    const ms = await fails(
      '($d := function($x, $n){ $n = 0 ? $x : $d($x & $x, $n - 1) }; $d("xx", 40))',
      /TOO_LARGE/,
      /longer than/,
    );
    expect(ms).toBeLessThan(2000);
    await fails('$pad("", 2000000)', /TOO_LARGE/, /longer than/);
  });

  it("over-long source is refused before parsing", () => {
    expect(checkExpression(`${"1+".repeat(2000)}1`)).toMatchObject({
      ok: false,
      code: "EXPRESSION_TOO_LONG",
    });
  });

  it("returning a function is refused", async () => {
    await fails("function($x){ $x }", /FAILED/, /function/);
  });

  it("a hostile expression inside a flow fails that step with a clear error", async () => {
    //   start → log(message = hostile expression)
    const dag = flow()
      .start()
      .node("log", "log", { message: expression("($f := function($x){ $f($x) }; $f(1))") })
      .chain("start", "log")
      .compile();
    const r = await runFlow(dag, {}, { ports: createMemoryPorts(), expressionLimits: { timeoutMs: 30 } });
    expect(r.status).toBe("error");
    expect(r.error).toMatchObject({ nodeId: "log", code: "EXPRESSION_TIMEOUT" });
  });

  it("record data is data: an expression-looking value is never evaluated", async () => {
    //   start → end(out = inputs.text)
    const dag = flow()
      .input("text", "string")
      .start()
      .node("end", "end", { values: { out: pill("inputs.text") } })
      .chain("start", "end")
      .compile();
    const r = await runFlow(dag, { text: '$eval("1+1")' }, { ports: createMemoryPorts() });
    expect(r.outputs).toEqual({ out: '$eval("1+1")' });
  });
});

describe("hostile pills", () => {
  const scope = { inputs: { a: { b: 1 } }, steps: {}, vars: {} };

  it("refuses __proto__, prototype and constructor segments with a clear error", () => {
    for (const seg of ["__proto__", "prototype", "constructor"]) {
      expect(() => resolvePill(["inputs", "a", seg], scope)).toThrow(new RegExp(`"${seg}"`));
      expect(() => walkPath(scope, ["inputs", seg])).toThrow(/not allowed/);
    }
  });

  it("reads own properties only: inherited members are invisible", () => {
    expect(walkPath({ a: {} }, ["a", "toString"])).toBeUndefined();
    expect(walkPath({ a: [1, 2] }, ["a", "map"])).toBeUndefined();
    expect(walkPath({ a: [1, 2] }, ["a", "1"])).toBe(2);
  });

  it("refuses roots other than inputs, steps and vars", () => {
    expect(() => resolvePill(["globalThis", "process"], scope)).toThrow(/must start with/);
  });

  it("a pill through __proto__ never compiles into a runnable flow", () => {
    expect(() =>
      flow()
        .start()
        .node("log", "log", { message: pill("inputs.__proto__.x") })
        .chain("start", "log")
        .compile(),
    ).toThrow(/PILL_FORBIDDEN_SEGMENT/);
  });
});

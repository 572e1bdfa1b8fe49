import { describe, expect, it } from "vitest";
import { resolvePill, walkPath } from "../interpreter/pills";
import { runFlow } from "../interpreter/run";
import { expression, pill } from "../schema/binding";
import { flow } from "../testing/builders";
import { createMemoryPorts } from "../testing/memory-ports";
import { checkExpression, evaluateExpression } from "./expressions";
import { DEFAULT_EXPRESSION_LIMITS } from "./limits";

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

// Catastrophic-backtracking patterns: under V8's engine each of these runs for seconds to
// minutes (the first one 115 s) and no timeout can interrupt it. Each must now return or fail
// within the limit; the bound is a generous 5× the limit, never a tight timing.
const bound = DEFAULT_EXPRESSION_LIMITS.timeoutMs * 5;
const as = (n: number) => "a".repeat(n);
const catastrophic: Array<[string, string]> = [
  ["nested plus (the issue)", `$match('${as(40)}!', /^(a+)+$/)`],
  ["alternation of equals", `$contains('${as(36)}!', /^(a|a)+$/)`],
  ["overlapping alternation", `$match('${as(36)}!', /^(a|aa)+$/)`],
  ["star of star", `$replace('${as(34)}', /(a*)*b/, 'x')`],
  ["classic (x+x+)+y", `$contains('${"x".repeat(36)}', /(x+x+)+y/)`],
  ["words and spaces", `$match('${"ab ".repeat(14)}!', /^(\\w+\\s?)*$/)`],
  ["split by nested group", `$split('${as(36)}c', /(a+)+b/)`],
  ["case-insensitive nested", `$match('${"A".repeat(38)}!', /^(a+)+$/i)`],
  ["from record data", "$match(inputs.long, /^(a|a?)+$/)"],
];
const hostileData = { inputs: { long: `${as(40_000)}!` }, steps: {}, vars: {} };

describe("catastrophic regular expressions run in linear time", () => {
  for (const [name, source] of catastrophic) {
    it(`${name}: returns or fails within the limit`, async () => {
      const t = performance.now();
      await evaluateExpression(source, hostileData).catch((err: unknown) => err);
      expect(performance.now() - t).toBeLessThan(bound);
    });
  }

  it("the issue's expression answers correctly: no match", async () => {
    await expect(evaluateExpression(`$match('${as(40)}!', /^(a+)+$/)`, data)).resolves.toBeUndefined();
  });

  it("ordinary regexes keep working: groups, replace, split, flags, repeated matches", async () => {
    await expect(evaluateExpression('$match("ab12cd345", /[a-z]+(\\d+)/)', data)).resolves.toEqual([
      { match: "ab12", index: 0, groups: ["12"] },
      { match: "cd345", index: 4, groups: ["345"] },
    ]);
    await expect(evaluateExpression('$replace("a-b-c", /-/, "+")', data)).resolves.toBe("a+b+c");
    await expect(
      evaluateExpression('$replace("John Smith", /(\\w+)\\s(\\w+)/, "$2, $1")', data),
    ).resolves.toBe("Smith, John");
    await expect(evaluateExpression('$split("a1b22c", /\\d+/)', data)).resolves.toEqual(["a", "b", "c"]);
    await expect(evaluateExpression('$contains("Hello", /^hel/i)', data)).resolves.toBe(true);
    await expect(evaluateExpression('$match("x\\ny", /^y$/m).match', data)).resolves.toBe("y");
    await expect(evaluateExpression('$match("héé😀é", /é/).index', data)).resolves.toEqual([1, 2, 5]);
  });

  it("backreferences and lookaround get a clear compile-time diagnostic", async () => {
    for (const source of [
      '$match("aa", /(a)\\1/)',
      '$contains("ab", /a(?=b)/)',
      '$contains("ab", /(?<!x)b/)',
    ]) {
      expect(checkExpression(source)).toMatchObject({
        ok: false,
        code: "EXPRESSION_REGEX_UNSUPPORTED",
        message: expect.stringMatching(/cannot run in linear time.*Backreferences/),
      });
      await fails(source, /REGEX_UNSUPPORTED/, /linear time/);
    }
  });

  it("a flow with such a regex does not compile: the diagnostic names the problem", () => {
    //   start → log(message = $match with a backreference)
    expect(() =>
      flow()
        .start()
        .node("log", "log", { message: expression('$match("aa", /(a)\\1/)') })
        .chain("start", "log")
        .compile(),
    ).toThrow(/EXPRESSION_REGEX_UNSUPPORTED/);
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

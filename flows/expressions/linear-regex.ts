import { RE2JS } from "re2js";

/**
 * JSONata's regular expressions, run by RE2 (re2js, a pure-JS port) instead of V8's
 * backtracking engine. A backtracking match cannot be interrupted by JSONata's timeout, so one
 * pattern like /^(a+)+$/ could hold the whole process for minutes; RE2 matches in time linear
 * in the input, whatever the pattern. The price: no backreferences and no lookaround, which
 * `regexProblem` reports at compile time.
 *
 * JSONata constructs the engine with the RegExp its parser built (flags i, m and always g) and
 * then uses only `lastIndex` and `exec`, with the semantics of a global RegExp.
 */
export class LinearRegex {
  lastIndex = 0;
  private readonly pattern: RE2JS;

  constructor(regex: RegExp) {
    this.pattern = compileLinear(regex);
  }

  exec(input: string): RegExpExecArray | null {
    if (this.lastIndex > input.length) {
      this.lastIndex = 0;
      return null;
    }
    const matcher = this.pattern.matcher(input);
    if (!matcher.find(this.lastIndex)) {
      this.lastIndex = 0;
      return null;
    }
    const parts: string[] = [];
    for (let g = 0; g <= matcher.groupCount(); g++) parts.push(matcher.group(g) ?? (undefined as never));
    const result = Object.assign(parts, { index: matcher.start(), input }) as RegExpExecArray;
    // Like a global RegExp: the next search starts where this match ended (JSONata itself
    // refuses to loop on a zero-length match).
    this.lastIndex = matcher.end();
    return result;
  }
}

function compileLinear(regex: RegExp): RE2JS {
  let flags = 0;
  if (regex.flags.includes("i")) flags |= RE2JS.CASE_INSENSITIVE;
  if (regex.flags.includes("m")) flags |= RE2JS.MULTILINE;
  return RE2JS.compile(RE2JS.translateRegExp(regex.source), flags);
}

/** Why RE2 cannot run this pattern (backreference, lookaround…), or null when it can. */
export function regexProblem(regex: RegExp): string | null {
  try {
    compileLinear(regex);
    return null;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return `The regular expression /${regex.source}/ cannot run in linear time (${reason}). Backreferences (\\1) and lookaround ((?=…), (?!…), (?<=…)) are not supported; rewrite it without them.`;
  }
}

/**
 * Where a process's CPU went, from a V8 .cpuprofile (bench/_cpu-profile.cjs writes them): each
 * sample's self time goes to one category, decided by its call stack. The production server
 * bundle is minified, so frames are first mapped back to source files through the .js.map files
 * `next build` writes beside every server chunk (resolveWithSourceMaps); the categories then
 * only look at repository paths and package names, never at minified names.
 *
 * The rule (why): a sample belongs to the innermost frame that names a category, so SQLite work
 * under the record service counts as writes and zod under the transport handler as validation;
 * native and Node-internal frames name none, so a native `run` or `JSON.parse` goes to its
 * nearest caller that does. One exception: everything under the execution writer is journal,
 * its SQLite writes included, since that is the cost the journal adds to each record; and the
 * profiler's own work (serialising the profile at its stop) is set apart as "profiler". Node's
 * HTTP server and web streams (Request/Response bodies) name http+auth only weakly: a stronger
 * category anywhere up the stack wins, so they count as HTTP only when nothing of ours asked.
 */

export const CATEGORIES = [
  "http+auth",
  "validation",
  "flow",
  "writes",
  "journal",
  "wire",
  "other",
  "gc",
  "idle",
  "profiler",
] as const;
export type Category = (typeof CATEGORIES)[number];

export interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

export interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

/** The parts of a V8 CPU profile (Profiler.stop's `profile`) this module reads. */
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  /** µs since the previous sample; timeDeltas[i] is the time sample i stands for. */
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** A frame as a source position: `file` relative to the repository (node_modules/… for packages). */
export interface SourceFrame {
  file: string;
  functionName: string;
}

export type FrameResolver = (frame: CallFrame) => SourceFrame;

interface Rule {
  category: Category;
  test: RegExp;
  /** Only when no other frame of the stack names a category. */
  weak?: boolean;
}

/** First match wins; tested against the resolved file ("node:…" for Node's own modules). */
const RULES: Rule[] = [
  { category: "profiler", test: /^node:inspector$|^bench\/_cpu-profile\.cjs$/ },
  {
    category: "journal",
    test: /^server\/runner\/(execution-writer|execution-journal|journal-sampling)\.ts$/,
  },
  { category: "validation", test: /^node_modules\/zod\/|^server\/protocol\/wire-schema\.ts$/ },
  {
    category: "writes",
    test: /^node_modules\/(better-sqlite3|drizzle-orm)\/|^server\/(db|records|capture|queue|tables)\//,
  },
  {
    category: "flow",
    test: /^flows\/|^node_modules\/(jsonata|re2js)\/|^server\/(runner|flow-store)\//,
  },
  // Signing and verifying the wire's signatures is authentication, not transport.
  { category: "http+auth", test: /^server\/transport\/signing\.ts$/ },
  { category: "wire", test: /^server\/(transport|sync)\/|^node_modules\/undici\// },
  {
    category: "http+auth",
    test: /^node_modules\/(next|@trpc)\/|^server\/(rest|auth|http|api)\/|^app\/|^(proxy|middleware)\.ts$/,
  },
  {
    category: "http+auth",
    test: /^node:(_http_|internal\/http|net$|internal\/deps\/undici|internal\/webstreams\/)/,
    weak: true,
  },
];

function frameRule(frame: SourceFrame): Pick<Rule, "category" | "weak"> | undefined {
  if (frame.functionName === "(garbage collector)") return { category: "gc" };
  if (frame.functionName === "(idle)") return { category: "idle" };
  if (frame.functionName === "(program)") return { category: "other" };
  return RULES.find((r) => r.test.test(frame.file));
}

/** The category a single resolved frame names, or undefined (native, Node internals, unknown). */
export function frameCategory(frame: SourceFrame): Category | undefined {
  return frameRule(frame)?.category;
}

/** The category of a stack given leaf first (see the rule at the top of this file). */
export function stackCategory(stackLeafFirst: SourceFrame[]): Category {
  const rules = stackLeafFirst.map(frameRule);
  const cats = rules.map((r) => r?.category);
  if (cats.includes("profiler")) return "profiler";
  if (cats.includes("journal")) return "journal";
  return rules.find((r) => r && !r.weak)?.category ?? rules.find((r) => r?.weak)?.category ?? "other";
}

export interface Attribution {
  /** Self time per category, µs. */
  byCategory: Record<Category, number>;
  /** Self time per resolved source file, µs (for the "top files" lines). */
  byFile: Map<string, number>;
  /**
   * Inclusive time per source file of ours (server/, flows/), µs: a sample counts once for each
   * such file on its stack. Self time spreads a cost over SQLite and Node; this shows which of
   * our modules the time was spent under (a look-up repeated for every record, say).
   */
  underFile: Map<string, number>;
  /** Sampled time in all, µs (idle included). */
  totalUs: number;
}

/** Attributes every sample of `profile` to a category through `resolve`. */
export function attribute(profile: CpuProfile, resolve: FrameResolver): Attribution {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  let totalUs = 0;
  profile.samples.forEach((id, i) => {
    const dt = Math.max(0, profile.timeDeltas[i] ?? 0);
    selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
    totalUs += dt;
  });
  const resolved = new Map<number, SourceFrame>();
  const frameOf = (id: number): SourceFrame => {
    let f = resolved.get(id);
    if (!f) {
      const node = byId.get(id);
      f = node ? resolve(node.callFrame) : { file: "", functionName: "(unknown)" };
      resolved.set(id, f);
    }
    return f;
  };
  const byCategory = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
  const byFile = new Map<string, number>();
  const underFile = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const stack: SourceFrame[] = [];
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) stack.push(frameOf(cur));
    byCategory[stackCategory(stack)] += us;
    const leaf = stack[0];
    const file = leaf?.file || `(${leaf?.functionName || "native"})`;
    byFile.set(file, (byFile.get(file) ?? 0) + us);
    for (const ours of new Set(stack.map((f) => f.file).filter((f) => /^(server|flows)\//.test(f))))
      underFile.set(ours, (underFile.get(ours) ?? 0) + us);
  }
  return { byCategory, byFile, underFile, totalUs };
}

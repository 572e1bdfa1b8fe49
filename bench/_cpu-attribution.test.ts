import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { attribute, type CallFrame, type CpuProfile, stackCategory } from "./_cpu-attribution";
import { repoPath, sourceMapResolver } from "./_source-frames";

// A tiny synthetic profile: each frame's url is already a repository path, so an identity
// resolver stands in for the source maps (tested on their own below).
//
//   (root)
//   ├─ next handler (node_modules/next)
//   │   └─ transport handler ─┬─ zod parse            10 µs  → validation
//   │                         ├─ JSON.parse (native)   20 µs  → wire
//   │                         ├─ signing verify         30 µs → http+auth
//   │                         └─ accept (queue) ── run (native) 40 µs → writes
//   ├─ runner ─┬─ interpreter step (flows/)             50 µs → flow
//   │          └─ execution writer ── drizzle ── run    60 µs → journal (its SQLite too)
//   ├─ onStreamRead (node:internal)                     70 µs → other
//   ├─ (garbage collector)                              80 µs → gc
//   └─ (idle)                                           90 µs → idle
const frames: Array<[number, string, string, number[]]> = [
  [1, "(root)", "", [2, 10, 20, 21, 22]],
  [2, "handle", "node_modules/next/dist/server/next-server.js", [3]],
  [3, "receive", "server/transport/handler.ts", [4, 5, 6, 7]],
  [4, "parse", "node_modules/zod/v4/core/parse.js", []],
  [5, "parse", "", []],
  [6, "verify", "server/transport/signing.ts", []],
  [7, "accept", "server/queue/inbound/accept.ts", [8]],
  [8, "run", "", []],
  [10, "runBatch", "server/runner/runner.ts", [11, 12]],
  [11, "step", "flows/interpreter/run.ts", []],
  [12, "write", "server/runner/execution-writer.ts", [13]],
  [13, "execute", "node_modules/drizzle-orm/sqlite-core/session.js", [14]],
  [14, "run", "", []],
  [20, "onStreamRead", "node:internal/stream_base_commons", []],
  [21, "(garbage collector)", "", []],
  [22, "(idle)", "", []],
];
const leafTimes: Array<[number, number]> = [
  [4, 10],
  [5, 20],
  [6, 30],
  [8, 40],
  [11, 50],
  [14, 60],
  [20, 70],
  [21, 80],
  [22, 90],
];
const profile: CpuProfile = {
  nodes: frames.map(([id, functionName, url, children]) => ({
    id,
    callFrame: { functionName, url, lineNumber: 0, columnNumber: 0 },
    children,
  })),
  samples: leafTimes.map(([id]) => id),
  timeDeltas: leafTimes.map(([, us]) => us),
  startTime: 0,
  endTime: 450,
};
const identity = (f: CallFrame) => ({ file: f.url, functionName: f.functionName });

describe("CPU attribution by call-stack ancestry", () => {
  it("gives each sample's self time to the innermost categorised frame, journal claiming its SQLite", () => {
    // ACT
    const { byCategory, totalUs } = attribute(profile, identity);
    // ASSERT
    expect(byCategory).toEqual({
      "http+auth": 30,
      validation: 10,
      flow: 50,
      writes: 40,
      journal: 60,
      wire: 20,
      other: 70,
      gc: 80,
      idle: 90,
      profiler: 0,
    });
    expect(totalUs).toBe(450);
  });

  it("counts each sample once under every module of ours on its stack (where the time was spent)", () => {
    const { underFile } = attribute(profile, identity);
    // the handler's four leaves (10+20+30+40), the runner's two (50+60)
    expect(underFile.get("server/transport/handler.ts")).toBe(100);
    expect(underFile.get("server/queue/inbound/accept.ts")).toBe(40);
    expect(underFile.get("server/runner/runner.ts")).toBe(110);
    expect(underFile.get("flows/interpreter/run.ts")).toBe(50);
    expect(underFile.has("node_modules/zod/v4/core/parse.js")).toBe(false); // ours only
  });

  it("falls back to other when no frame names a category", () => {
    expect(
      stackCategory([
        { file: "", functionName: "x" },
        { file: "node:events", functionName: "emit" },
      ]),
    ).toBe("other");
  });

  it("lets Node's HTTP and stream frames decide only when nothing stronger is on the stack", () => {
    const f = (file: string) => ({ file, functionName: "f" });
    // a web-stream read the transport client asked for is wire; one Next's request handling asked for is HTTP
    expect(
      stackCategory([f("node:internal/webstreams/readablestream"), f("server/transport/client.ts")]),
    ).toBe("wire");
    expect(stackCategory([f("node:internal/deps/undici/undici"), f("node:events")])).toBe("http+auth");
    // the profiler's own serialisation is set apart, whatever it interrupted
    expect(stackCategory([f(""), f("node:inspector"), f("bench/_cpu-profile.cjs")])).toBe("profiler");
  });

  it("adds up repeated samples of the same node", () => {
    const twice = { ...profile, samples: [4, 4, 11], timeDeltas: [5, 7, 3] };
    const { byCategory, byFile } = attribute(twice, identity);
    expect(byCategory.validation).toBe(12);
    expect(byCategory.flow).toBe(3);
    expect(byFile.get("node_modules/zod/v4/core/parse.js")).toBe(12);
  });
});

describe("source frames", () => {
  it("names packages by their last node_modules folder, our files relative to the root", () => {
    expect(repoPath("/r", "/r/node_modules/a/node_modules/@s/b/x.js")).toBe("node_modules/@s/b/x.js");
    expect(repoPath("/r", "/r/server/db/client.ts")).toBe("server/db/client.ts");
  });

  it("maps a position in a minified chunk back through its .js.map", () => {
    // ARRANGE: one generated line; column 0 comes from server/db/client.ts, column 14 from zod.
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-attr-"));
    const dir = path.join(root, ".next", "server");
    fs.mkdirSync(dir, { recursive: true });
    const chunk = path.join(dir, "chunk.js");
    fs.writeFileSync(chunk, "function a(){}function b(){}\n//# sourceMappingURL=chunk.js.map\n");
    fs.writeFileSync(
      `${chunk}.map`,
      JSON.stringify({
        version: 3,
        sources: ["../../server/db/client.ts", "../../node_modules/zod/v4/x.js"],
        names: [],
        mappings: "AAAA,cCAA",
      }),
    );
    const resolve = sourceMapResolver(root);
    const at = (columnNumber: number) =>
      resolve({ functionName: "a", url: pathToFileURL(chunk).href, lineNumber: 0, columnNumber }).file;
    // ACT + ASSERT
    expect(at(0)).toBe("server/db/client.ts");
    expect(at(20)).toBe("node_modules/zod/v4/x.js");
    expect(resolve({ functionName: "emit", url: "node:events", lineNumber: 0, columnNumber: 0 }).file).toBe(
      "node:events",
    );
    fs.rmSync(root, { recursive: true, force: true });
  });
});

import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// The architecture in the folders (issue 13): each folder below server/ imports only from
// folders beneath it, so no folder reaches itself through others' imports, and flows/ (the flow language)
// imports no React, Next or database. Read from the sources' import statements, type-only
// imports included: a type import is a tie too.

const root = path.resolve(import.meta.dirname, "..");

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, "utf8");
  return [...text.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s+"([^"]+)"/gms)].map((m) => m[1] ?? "");
}

/** server/<folder>/… → <folder>; undefined for files directly in server/. */
function folderOf(file: string): string | undefined {
  const parts = path.relative(path.join(root, "server"), file).split(path.sep);
  return parts.length > 1 ? parts[0] : undefined;
}

describe("folder layers", () => {
  it("server folders form layers: no folder reaches itself through its imports", () => {
    const edges = new Map<string, Set<string>>();
    for (const file of sources(path.join(root, "server"))) {
      const from = folderOf(file);
      if (!from) continue;
      for (const spec of importsOf(file)) {
        const target = spec.startsWith("@/server/")
          ? path.join(root, spec.slice(2))
          : spec.startsWith(".")
            ? path.resolve(path.dirname(file), spec)
            : undefined;
        const to = target?.startsWith(path.join(root, "server") + path.sep) ? folderOf(target) : undefined;
        if (to && to !== from) edges.set(from, (edges.get(from) ?? new Set()).add(to));
      }
    }
    // Depth-first search: a folder met again while still on the path closes a cycle.
    const cycles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const trail: string[] = [];
    const visit = (folder: string) => {
      state.set(folder, "open");
      trail.push(folder);
      for (const next of edges.get(folder) ?? []) {
        if (state.get(next) === "open") cycles.push([...trail.slice(trail.indexOf(next)), next].join(" -> "));
        else if (!state.has(next)) visit(next);
      }
      trail.pop();
      state.set(folder, "done");
    };
    for (const folder of [...edges.keys()].sort()) if (!state.has(folder)) visit(folder);
    expect(cycles).toEqual([]);
    expect(edges.size).toBeGreaterThan(10); // the scan found the folders' imports at all
  });

  it("flows/ imports no React, Next, database or server code", () => {
    const offending = sources(path.join(root, "flows")).flatMap((file) =>
      importsOf(file)
        .filter(
          (spec) =>
            /^(react|react-dom|next|@xyflow|better-sqlite3|drizzle-orm|pg)(\/|$)/.test(spec) ||
            /(^|\/)server\//.test(spec) ||
            spec.startsWith("@/"),
        )
        .map((spec) => `${path.relative(root, file)}: ${spec}`),
    );
    expect(offending).toEqual([]);
  });
});

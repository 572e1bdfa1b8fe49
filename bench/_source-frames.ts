/**
 * Maps a profile's call frames back to source files. `next build` writes a .js.map beside every
 * server chunk (Turbopack's default for the server; nothing to configure), so a frame in a
 * minified chunk is looked up with Node's own source-map reader (node:module SourceMap) at the
 * position V8 recorded for the function, and named by the original source's repository path.
 * Frames outside the bundle (externals such as better-sqlite3, Next's own server) already carry
 * their real file path. Packages become `node_modules/<name>/…` wherever they were installed.
 */
import fs from "node:fs";
import { SourceMap, type SourceMapPayload } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { CallFrame, FrameResolver, SourceFrame } from "./_cpu-attribution";

/** `…/node_modules/a/node_modules/@s/b/x.js` → `node_modules/@s/b/x.js`; otherwise relative to root. */
export function repoPath(root: string, absolute: string): string {
  const normal = absolute.split(path.sep).join("/");
  const at = normal.lastIndexOf("/node_modules/");
  if (at >= 0) return normal.slice(at + 1);
  const rel = path.relative(root, absolute).split(path.sep).join("/");
  return rel.startsWith("..") ? normal : rel;
}

function loadMap(file: string): { map: SourceMap; dir: string } | undefined {
  let mapFile = `${file}.map`;
  try {
    const text = fs.readFileSync(file, "utf8");
    const comment = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(text.slice(-1000));
    if (comment?.[1] && !comment[1].startsWith("data:")) {
      mapFile = path.resolve(path.dirname(file), decodeURIComponent(comment[1]));
    }
    if (!fs.existsSync(mapFile)) return undefined;
    const payload = JSON.parse(fs.readFileSync(mapFile, "utf8")) as SourceMapPayload;
    return { map: new SourceMap(payload), dir: path.dirname(mapFile) };
  } catch {
    return undefined; // not a file we can read (eval'd code, a deleted build): keep the frame as is
  }
}

/** A resolver for frames of processes that ran from `root` (the repository the build is in). */
export function sourceMapResolver(root: string): FrameResolver {
  const maps = new Map<string, ReturnType<typeof loadMap>>();
  return (frame: CallFrame): SourceFrame => {
    const { url, functionName } = frame;
    if (!url) return { file: "", functionName };
    if (url.startsWith("node:")) return { file: url, functionName };
    let file: string;
    try {
      file = url.startsWith("file:") ? fileURLToPath(url) : url;
    } catch {
      return { file: url, functionName };
    }
    if (!maps.has(file)) maps.set(file, file.endsWith(".js") ? loadMap(file) : undefined);
    const loaded = maps.get(file);
    const entry = loaded?.map.findEntry(frame.lineNumber, frame.columnNumber);
    if (loaded && entry && "originalSource" in entry && entry.originalSource) {
      const source = entry.originalSource;
      if (source.startsWith("turbopack:")) return { file: "(bundler runtime)", functionName };
      const absolute = path.resolve(loaded.dir, decodeURIComponent(source));
      return { file: repoPath(root, absolute), functionName };
    }
    return { file: repoPath(root, file), functionName };
  };
}

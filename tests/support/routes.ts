import fs from "node:fs";
import path from "node:path";

// The HTTP routes of the app as "METHOD /path" with parameters as ":name", read from the route
// files under app/ (Next.js App Router conventions), so a new route file shows up in tests.

const methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

export interface AppRoute {
  method: string;
  /** e.g. /api/sync/v1/attachments/:key; a catch-all is ":...name". */
  path: string;
  file: string;
}

function routeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return /^route\.(ts|js)$/.test(entry.name) ? [full] : [];
  });
}

/** The methods a route file exports: functions, constants, or `export { x as GET }`. */
export function exportedMethods(source: string): string[] {
  const found = new Set<string>();
  for (const m of methods) {
    const direct = new RegExp(`export\\s+(async\\s+)?(function|const|let)\\s+${m}\\b`);
    const renamed = new RegExp(`export\\s*\\{[^}]*\\bas\\s+${m}\\b[^}]*\\}`);
    const plain = new RegExp(`export\\s*\\{[^}]*(^|[\\s,{])${m}\\s*[,}]`);
    if (direct.test(source) || renamed.test(source) || plain.test(source)) found.add(m);
  }
  return [...found];
}

export function appRoutes(appDir = path.join(process.cwd(), "app")): AppRoute[] {
  return routeFiles(appDir).flatMap((file) => {
    const segments = path
      .relative(appDir, path.dirname(file))
      .split(path.sep)
      .filter((s) => s !== "" && !/^\(.*\)$/.test(s)) // route groups do not appear in URLs
      .map((s) => s.replace(/^\[\[?\.\.\.(.+?)\]\]?$/, ":...$1").replace(/^\[(.+)\]$/, ":$1"));
    const routePath = `/${segments.join("/")}`;
    return exportedMethods(fs.readFileSync(file, "utf8")).map((method) => ({
      method,
      path: routePath,
      file,
    }));
  });
}

// Statement counts and times of instance processes on demand, for bench/sync-load.ts. Loaded with
// NODE_OPTIONS="--require <abs path>/bench/_sql-probe.cjs". Each SIGUSR2 toggles counting in the
// instance process (scripts/server.mjs): the first starts it, the next stops it and writes
// $BENCH_PROF_DIR/<instance>-<pid>.sql.json, every statement better-sqlite3 ran meanwhile by its
// SQL text (whitespace folded), with calls and total µs (BEGIN, COMMIT and SAVEPOINT included).
// Timing each call costs about a microsecond, so this runs apart from the CPU profile. Bench only.
const fs = require("node:fs");
const path = require("node:path");

if (process.argv.some((a) => /scripts[/\\]server\.mjs$/.test(a))) {
  const Database = require(require.resolve("better-sqlite3", { paths: [process.cwd()] }));
  const dir = process.env.BENCH_PROF_DIR || require("node:os").tmpdir();
  const stats = new Map();
  let counting = false;
  const note = (text, t0) => {
    if (!counting) return;
    const key = String(text).replace(/\s+/g, " ").trim();
    let s = stats.get(key);
    if (!s) {
      s = { calls: 0, ns: 0n };
      stats.set(key, s);
    }
    s.calls += 1;
    s.ns += process.hrtime.bigint() - t0;
  };
  let patched = false;
  const prepare = Database.prototype.prepare;
  Database.prototype.prepare = function (...args) {
    const statement = prepare.apply(this, args);
    if (!patched) {
      patched = true;
      const proto = Object.getPrototypeOf(statement);
      for (const method of ["run", "get", "all", "iterate"]) {
        const original = proto[method];
        proto[method] = function (...params) {
          const t0 = process.hrtime.bigint();
          try {
            return original.apply(this, params);
          } finally {
            note(this.source, t0);
          }
        };
      }
    }
    return statement;
  };
  const exec = Database.prototype.exec;
  Database.prototype.exec = function (sql) {
    const t0 = process.hrtime.bigint();
    try {
      return exec.call(this, sql);
    } finally {
      note(sql, t0);
    }
  };
  process.on("SIGUSR2", () => {
    if (!counting) {
      stats.clear();
      counting = true;
      return;
    }
    counting = false;
    const rows = [...stats].map(([sql, s]) => ({ sql, calls: s.calls, us: Number(s.ns) / 1000 }));
    const file = path.join(dir, `${process.env.TANDEM_INSTANCE || "instance"}-${process.pid}.sql.json`);
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(rows));
    fs.renameSync(`${file}.tmp`, file);
  });
}

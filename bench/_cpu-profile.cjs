// CPU profiles of instance processes on demand, for bench/sync-load.ts. Loaded with
// NODE_OPTIONS="--require <abs path>/bench/_cpu-profile.cjs" (`--cpu-prof` is refused in
// NODE_OPTIONS, and it would profile the whole life, start-up included). Each SIGUSR2 toggles
// V8's sampling profiler in the instance process (scripts/server.mjs, or `next start`): the first starts it, the next stops it
// and writes $BENCH_PROF_DIR/<instance>-<pid>-<n>.cpuprofile (written under a temporary name and
// renamed, so whoever waits for the file never reads half of it). BENCH_PROF_INTERVAL_US sets
// the sampling interval (default 500 µs). Bench only: nothing in the product loads this.
const inspector = require("node:inspector");
const fs = require("node:fs");
const path = require("node:path");

if (process.argv.some((a) => /[/\\]next([/\\]|$)/.test(a) || /scripts[/\\]server\.mjs$/.test(a))) {
  const dir = process.env.BENCH_PROF_DIR || require("node:os").tmpdir();
  const interval = Number(process.env.BENCH_PROF_INTERVAL_US || 500);
  const session = new inspector.Session();
  session.connect();
  let running = false;
  let count = 0;
  process.on("SIGUSR2", () => {
    if (!running) {
      running = true;
      session.post("Profiler.enable", () =>
        session.post("Profiler.setSamplingInterval", { interval }, () => session.post("Profiler.start")),
      );
      return;
    }
    running = false;
    session.post("Profiler.stop", (error, result) => {
      if (error || !result) {
        process.stderr.write(`cpu profile not written: ${error}\n`);
        return;
      }
      count += 1;
      const name = `${process.env.TANDEM_INSTANCE || "instance"}-${process.pid}-${count}.cpuprofile`;
      const file = path.join(dir, name);
      fs.writeFileSync(`${file}.tmp`, JSON.stringify(result.profile));
      fs.renameSync(`${file}.tmp`, file);
    });
  });
}

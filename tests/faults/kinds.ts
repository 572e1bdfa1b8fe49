import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { quiesce } from "./checker";
import { burst, hardwareGroup, outcomeOf, sleep, tableCall, trpc } from "./client";
import type { NodeName } from "./cluster";
import type { FaultMix } from "./proxy";
import type { TrialContext, TrialKind } from "./trial";

// The trial kinds of issue 11. Sizes: the quick subset (npm test) keeps bursts small; the soak
// uses the full 1,000–2,000-record bursts.

const burstSize = (ctx: TrialContext) =>
  ctx.size === "quick" ? ctx.rng.int(80, 150) : ctx.rng.int(1000, 2000);

/** The receiver dies (SIGKILL) at a random moment of a burst and comes back after a random downtime. */
const receiverKill: TrialKind = {
  name: "receiver-kill",
  async run(ctx) {
    const { cluster, rng } = ctx;
    const count = burstSize(ctx);
    const killAt = rng.int(1, count - 1);
    const downtime = rng.int(200, ctx.size === "quick" ? 3000 : 8000);
    let restarted: Promise<void> | null = null;
    let faultsEndedAt = Date.now();
    await burst(cluster, ctx.ledger, {
      count,
      after: ({ index }) => {
        if (index !== killAt || restarted) return;
        restarted = (async () => {
          await cluster.kill("beta");
          await sleep(downtime);
          await cluster.start("beta");
          faultsEndedAt = Date.now();
        })();
      },
    });
    await restarted;
    ctx.note(`${count} incidents; beta killed after write ${killAt}, down ${downtime} ms`);
    return { receivers: ["beta"], faultsEndedAt };
  },
};

/** The sender dies at a random moment, sometimes the instant a write was answered 201. */
const senderKill: TrialKind = {
  name: "sender-kill",
  async run(ctx) {
    const { cluster, rng } = ctx;
    const count = burstSize(ctx);
    const killAt = rng.int(1, count - 1);
    const rightAfterAck = rng.next() < 0.5;
    const downtime = rng.int(200, 3000);
    let killing: Promise<void> | null = null;
    await burst(cluster, ctx.ledger, {
      count,
      stopWhen: () => killing !== null,
      after: ({ index, outcome }) => {
        if (killing || index < killAt || (rightAfterAck && outcome !== "acked")) return;
        killing = cluster.kill("alpha");
        return killing;
      },
    });
    await killing;
    await sleep(downtime);
    await cluster.start("alpha");
    const s = ctx.ledger.summary();
    ctx.note(
      `alpha killed ${rightAfterAck ? "right after a 201" : "mid-write"} at write ${killAt}; ${s.acked} acked, ${s.unknown} unknown; down ${downtime} ms`,
    );
    return { receivers: ["beta"], faultsEndedAt: Date.now() };
  },
};

function proxyMix(name: string, mix: FaultMix, defect?: string): TrialKind {
  return {
    name,
    ...(defect ? { defect } : {}),
    async run(ctx) {
      const { cluster } = ctx;
      const proxy = cluster.proxies.beta;
      if (!proxy) throw new Error("no proxy in front of beta");
      proxy.setMix(mix);
      const count = burstSize(ctx);
      await burst(cluster, ctx.ledger, { count });
      // Let the faults play on the retries for a while, then a clean link.
      await sleep(ctx.size === "quick" ? 3000 : ctx.rng.int(3000, 15_000));
      proxy.setMix({ pass: 1 });
      const faultsEndedAt = Date.now();
      ctx.note(`${count} incidents through faults ${JSON.stringify(proxy.counts())}`);
      return { receivers: ["beta"], faultsEndedAt };
    },
  };
}

const everyFault: FaultMix = {
  pass: 4,
  delay: 1,
  "reset-request": 1,
  "reset-answer": 1,
  "half-answer": 1,
  hang: 0.3,
};

/** The receiver is frozen (SIGSTOP) for 30 s in the middle of a burst, then resumed. */
const receiverPause: TrialKind = {
  name: "receiver-pause",
  defect: "2: a paused receiver strands inbound rows (flow time limit counts the frozen time)",
  async run(ctx) {
    const { cluster, rng } = ctx;
    const count = burstSize(ctx);
    const pauseAt = rng.int(Math.floor(count / 4), Math.floor(count / 2));
    let resumed: Promise<void> | null = null;
    let faultsEndedAt = Date.now();
    await burst(cluster, ctx.ledger, {
      count,
      after: ({ index }) => {
        if (index !== pauseAt || resumed) return;
        resumed = (async () => {
          // Freeze it with inbound flows in flight (the moment that strands rows), or after 10 s anyway.
          const until = Date.now() + 10_000;
          while (Date.now() < until) {
            const busy = await cluster.query<{ n: number }>(
              "beta",
              "SELECT count(*) AS n FROM inbound_queue WHERE status = 'processing'",
            );
            if ((busy[0]?.n ?? 0) > 0) break;
            await sleep(2);
          }
          cluster.pause("beta");
          await sleep(30_000);
          cluster.resume("beta");
          faultsEndedAt = Date.now();
        })();
      },
    });
    await resumed;
    ctx.note(`${count} incidents; beta paused for 30 s after write ${pauseAt}`);
    return { receivers: ["beta"], faultsEndedAt };
  },
};

/** One record updated 100 times as fast as the API answers: the last value wins on both sides. */
function hotRecord(name: string, mix: FaultMix | null, defect?: string): TrialKind {
  return {
    name,
    ...(defect ? { defect } : {}),
    async run(ctx) {
      const { cluster, ledger } = ctx;
      if (mix) cluster.proxies.beta?.setMix(mix);
      const group = await hardwareGroup(cluster.nodes.alpha);
      const tag = ledger.tagFor(0);
      const created = await tableCall(cluster.nodes.alpha, "POST", "/api/now/table/incident", {
        short_description: tag,
        assignment_group: group,
      });
      const sysId = z
        .object({ result: z.object({ sys_id: z.string() }) })
        .parse("json" in created ? created.json : null).result.sys_id;
      ledger.create({ tag, node: "alpha", outcome: outcomeOf(created.status), sysId });
      for (let i = 1; i <= 100; i++) {
        const value = `${tag} update ${i}`;
        const res = await tableCall(cluster.nodes.alpha, "PATCH", `/api/now/table/incident/${sysId}`, {
          description: value,
        });
        ledger.field({ tag, node: "alpha", field: "description", value, outcome: outcomeOf(res.status) });
      }
      if (mix) {
        await sleep(2000);
        cluster.proxies.beta?.setMix({ pass: 1 });
        ctx.note(`faults ${JSON.stringify(cluster.proxies.beta?.counts())}`);
      }
      return { receivers: ["beta"], faultsEndedAt: Date.now() };
    },
  };
}

/** Both sides edit the same record's state at once, 50 rounds: they converge (SPEC 3.8). */
const concurrentEdits: TrialKind = {
  name: "concurrent-edits",
  async run(ctx) {
    const { cluster, ledger, rng } = ctx;
    const group = await hardwareGroup(cluster.nodes.alpha);
    const tag = ledger.tagFor(0);
    const created = await tableCall(cluster.nodes.alpha, "POST", "/api/now/table/incident", {
      short_description: tag,
      assignment_group: group,
    });
    const alphaId = z
      .object({ result: z.object({ sys_id: z.string() }) })
      .parse("json" in created ? created.json : null).result.sys_id;
    ledger.create({ tag, node: "alpha", outcome: outcomeOf(created.status), sysId: alphaId });
    let betaId = "";
    const deadline = Date.now() + 60_000;
    while (!betaId && Date.now() < deadline) {
      const rows = await cluster.query<{ sys_id: string }>(
        "beta",
        "SELECT sys_id FROM record WHERE table_name = 'incident' AND json_extract(data, '$.short_description') = ?",
        tag,
      );
      betaId = rows[0]?.sys_id ?? "";
      if (!betaId) await sleep(100);
    }
    if (!betaId) throw new Error("the record never reached beta");
    const states = ["1", "2", "3"];
    for (let round = 0; round < 50; round++) {
      const [a, b] = [rng.pick(states), rng.pick(states)];
      await Promise.all([
        tableCall(cluster.nodes.alpha, "PATCH", `/api/now/table/incident/${alphaId}`, { state: a }),
        tableCall(cluster.nodes.beta, "PATCH", `/api/now/table/incident/${betaId}`, { state: b }),
      ]);
      ledger.otherWrites += 2;
      if (rng.next() < 0.3) await sleep(rng.int(0, 50));
    }
    return { receivers: ["beta"], fields: ["short_description", "state"], faultsEndedAt: Date.now() };
  },
};

/**
 * A poison row: one incident whose comment is larger than the receiver's body limit (beta runs
 * with 256 KiB, alpha accepts 2 MiB), so beta refuses it (413, a data error). Only its lane waits;
 * every other incident arrives. The fix is configuration: beta restarts with the larger limit, and
 * reprocessing the row delivers it, once.
 */
const poisonRow: TrialKind = {
  name: "poison-row",
  cluster: () => ({ nodeEnv: { beta: { TANDEM_MAX_BODY_BYTES: String(256 * 1024) } } }),
  async run(ctx) {
    const { cluster, ledger, rng } = ctx;
    const count = ctx.size === "quick" ? 40 : rng.int(200, 400);
    const poisonAt = rng.int(0, count - 1);
    const big = "x".repeat(400 * 1024);
    await burst(cluster, ledger, {
      count,
      fields: (i): Record<string, string> => (i === poisonAt ? { comments: big } : {}),
    });
    const poison = ledger.creates.get(ledger.tagFor(poisonAt));
    if (!poison?.sysId) throw new Error("the poison incident was not created");
    // A second change of the poison record queues behind the failed row in its lane.
    await tableCall(cluster.nodes.alpha, "PATCH", `/api/now/table/incident/${poison.sysId}`, {
      urgency: "1",
    });
    ledger.field({ tag: poison.tag, node: "alpha", field: "urgency", value: "1", outcome: "acked" });
    // Everything but the poison lane arrives while it waits.
    const others = count - 1;
    const deadline = Date.now() + 90_000;
    let arrived = 0;
    let failed: Array<{ id: number; lane_key: string; last_error: string }> = [];
    while (Date.now() < deadline) {
      arrived =
        (
          await cluster.query<{ n: number }>(
            "beta",
            "SELECT count(*) AS n FROM record WHERE table_name = 'incident' AND json_extract(data, '$.short_description') LIKE ? || '%'",
            ledger.prefix,
          )
        )[0]?.n ?? 0;
      failed = await cluster.query(
        "alpha",
        "SELECT id, lane_key, last_error FROM outbound_queue WHERE status = 'error'",
      );
      if (arrived >= others && failed.length > 0) break;
      await sleep(250);
    }
    const waiting = await cluster.query<{ n: number }>(
      "alpha",
      "SELECT count(*) AS n FROM outbound_queue WHERE status = 'ready'",
    );
    ctx.note(
      `${arrived} of ${others} other incidents arrived while the poison row waited; ${failed.length} row(s) in error (${failed[0]?.last_error ?? "none"}), ${waiting[0]?.n ?? 0} waiting`,
    );
    if (arrived < others) ctx.fail(`the poison row held up other lanes (${arrived}/${others} arrived)`);
    if (failed.length !== 1) ctx.fail(`expected exactly one outbound row in error, found ${failed.length}`);
    // The fix: beta takes bodies up to 2 MiB; reprocess what failed.
    await cluster.kill("beta");
    delete cluster.nodes.beta.env.TANDEM_MAX_BODY_BYTES;
    await cluster.start("beta");
    const ids = failed.map((f) => f.id);
    if (ids.length > 0) await trpc(cluster.nodes.alpha, "queues.reprocess", { queue: "outbound", ids });
    return { receivers: ["beta"], faultsEndedAt: Date.now() };
  },
};

const isRoot = () => process.getuid?.() === 0;

const mounts = new Map<number, string>();

/** The receiver's data folder on a small tmpfs that fills during a burst; then space is freed. */
const diskFull: TrialKind = {
  name: "disk-full",
  defect: "3: a full disk answers 500 (expected 503 + Retry-After) and does not recover cleanly",
  skip: () => (isRoot() ? null : "needs root to mount a tmpfs for the receiver's data folder"),
  cluster(seed) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tandem-beta-tmpfs-"));
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=64m", "tmpfs", dir]);
    mounts.set(seed, dir);
    return { dataDirs: { beta: dir } };
  },
  async run(ctx) {
    const { cluster, rng } = ctx;
    const dir = cluster.nodes.beta.dataDir;
    // Ballast leaves only a little room, so the burst fills the disk early.
    const free = () => {
      const s = fs.statfsSync(dir);
      return s.bavail * s.bsize;
    };
    const leave = rng.int(1, 3) * 1024 * 1024;
    const ballast = path.join(dir, "ballast.bin");
    fs.writeFileSync(ballast, Buffer.alloc(Math.max(0, free() - leave)));
    const count = ctx.size === "quick" ? 300 : rng.int(1000, 2000);
    await burst(cluster, ctx.ledger, { count });
    await sleep(3000);
    const statuses = await probeStatus(cluster.nodes.beta.url);
    ctx.note(
      `${count} incidents with ${(leave / 1048576).toFixed(0)} MiB free on beta; free now ${free()} B; health ${statuses}`,
    );
    fs.rmSync(ballast);
    return { receivers: ["beta"], faultsEndedAt: Date.now(), quiesceTimeoutMs: 180_000 };
  },
  async cleanup(ctx) {
    const dir = mounts.get(ctx.seed);
    if (!dir) return;
    mounts.delete(ctx.seed);
    execFileSync("umount", [dir]);
    fs.rmSync(dir, { recursive: true, force: true });
  },
};

async function probeStatus(url: string): Promise<string> {
  try {
    const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(5000) });
    return `${res.status} ${(await res.text()).slice(0, 120)}`;
  } catch (error) {
    return String(error);
  }
}

/**
 * Alpha linked to beta and gamma. Gamma is dead for a whole burst: alpha → beta goes on at the
 * speed of a burst with gamma healthy (printed; compared in the soak), and gamma's rows arrive once
 * when it comes back.
 */
const deadThird: TrialKind = {
  name: "dead-third",
  cluster: () => ({ topology: "triple" }),
  async run(ctx) {
    const { cluster, ledger } = ctx;
    const count = ctx.size === "quick" ? 100 : ctx.rng.int(1000, 1500);
    const throughput = async (from: number, to: number) => {
      const started = Date.now();
      await burst(cluster, ledger, { count: to, startAt: from });
      await waitCount(cluster, "beta", ledger.prefix, to);
      return ((to - from) / (Date.now() - started)) * 1000;
    };
    // The healthy burst first, so warm-up (a fresh process, cold caches) cannot count against the dead one.
    const healthyRate = await throughput(0, count);
    await quiesce(cluster, ["alpha", "beta", "gamma"], 120_000);
    await cluster.kill("gamma");
    const deadRate = await throughput(count, count * 2);
    await cluster.start("gamma");
    const back = Date.now();
    const arrived = await quiesce(cluster, ["alpha", "beta", "gamma"], 180_000);
    if (!arrived.ok) ctx.fail(`gamma did not catch up: ${arrived.why}`);
    const ratio = deadRate / healthyRate;
    ctx.note(
      `alpha→beta with gamma dead ${deadRate.toFixed(0)} rec/s, gamma healthy ${healthyRate.toFixed(0)} rec/s (${(ratio * 100).toFixed(0)}%); gamma caught up in ${arrived.at - back} ms`,
    );
    ctx.note(`throughput ratio ${ratio.toFixed(2)}`);
    return { receivers: ["beta", "gamma"], faultsEndedAt: Date.now() };
  },
};

async function waitCount(
  cluster: TrialContext["cluster"],
  node: NodeName,
  prefix: string,
  n: number,
): Promise<void> {
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    const rows = await cluster.query<{ n: number }>(
      node,
      "SELECT count(*) AS n FROM record WHERE table_name = 'incident' AND json_extract(data, '$.short_description') LIKE ? || '%'",
      prefix,
    );
    if ((rows[0]?.n ?? 0) >= n) return;
    await sleep(100);
  }
  throw new Error(`${node} never held ${n} records`);
}

export const trialKinds: TrialKind[] = [
  receiverKill,
  senderKill,
  proxyMix("proxy-mix", everyFault, "1: a reset while the answer is read strands rows as data errors"),
  proxyMix(
    "proxy-reset-answer",
    { pass: 2, "reset-answer": 1, "half-answer": 2 },
    "1: a reset while the answer is read strands rows as data errors",
  ),
  receiverPause,
  hotRecord("hot-record", null),
  hotRecord(
    "hot-record-faults",
    everyFault,
    "1: a cut-off answer strands the lane's first row as a data error",
  ),
  concurrentEdits,
  poisonRow,
  diskFull,
  deadThird,
];

export function kindByName(name: string): TrialKind {
  const kind = trialKinds.find((k) => k.name === name);
  if (!kind)
    throw new Error(`Unknown trial kind ${name}; known: ${trialKinds.map((k) => k.name).join(", ")}`);
  return kind;
}

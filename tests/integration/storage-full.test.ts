import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDataDir } from "../support/instances";
import {
  admin,
  api,
  hardwareGroup,
  type Pair,
  query,
  remoteState,
  startPair,
  trpc,
  waitFor,
} from "../support/pair";

// Beta's data folder fills up during a burst (issue 11, defect 3):
//   beta's data folder is a 48 MiB tmpfs; once beta runs, a filler file leaves ~256 KiB free
//   alpha: a burst of 120 incidents ──▶ beta refuses: 503 + Retry-After "Storage full"
//          (batches, Table API writes, Validate and Activate); /api/health 503 "degraded"
//          alpha retries, uses up its short budget, its remote goes to error
//   the filler goes (space freed) ──▶ health ok, Validate and Activate succeeds, every record
//          arrives once, no row stranded, PRAGMA integrity_check ok
// Needs root (mount -t tmpfs); otherwise skipped with the reason printed.
const BURST = 120;

function tryMount(dir: string): string | null {
  if (process.getuid?.() !== 0) return "not running as root (mount -t tmpfs needs it)";
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=48m", "tmpfs", dir], { stdio: "pipe" });
    return null;
  } catch (error) {
    return `mount -t tmpfs failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function freeBytes(dir: string): number {
  const s = fs.statfsSync(dir);
  return s.bavail * s.bsize;
}

describe("the receiver's disk fills up", () => {
  let pair: Pair | undefined;
  const mountDir = tempDataDir("beta-tmpfs");
  const skipReason = tryMount(mountDir);
  const filler = path.join(mountDir, "filler.bin");
  beforeAll(async () => {
    if (skipReason) return;
    pair = await startPair(
      {},
      {
        beta: {
          TANDEM_DATA_DIR: mountDir,
          TANDEM_INBOUND_RETRY_INTERVAL_MS: "100",
          TANDEM_INBOUND_RETRY_TIMES: "40",
        },
      },
    );
  });
  afterAll(async () => {
    await pair?.stop();
    if (!skipReason) execFileSync("umount", ["--lazy", mountDir]);
    fs.rmSync(mountDir, { recursive: true, force: true });
  });

  it("refuses with 503 naming the cause, recovers once space is freed, and stays consistent", async (ctx) => {
    if (skipReason || !pair) {
      console.log(`skipped: ${skipReason}`);
      ctx.skip();
      return;
    }
    const p = pair;
    // ARRANGE: a short retry budget on alpha; beta's folder all but full
    const remote = remoteState(p.alpha);
    await trpc(p.alpha, "syncConfig.updateRemote", {
      id: remote.id,
      data: { retryTimes: 3, retryIntervalMs: 300, retryBackoff: "fixed" },
    });
    const group = await hardwareGroup(p.alpha);
    fs.writeFileSync(filler, Buffer.alloc(Math.max(0, freeBytes(mountDir) - 256 * 1024)));

    // ACT: the burst
    for (let i = 0; i < BURST; i++) {
      await api(p.alpha, "POST", "/api/now/table/incident", {
        short_description: `Full ${i}`,
        assignment_group: group,
      });
    }

    // ASSERT: beta refuses cleanly and says why
    await waitFor(() => remoteState(p.alpha).outbound === "error", 60_000, "alpha's remote to go to error");
    const refused = query<{ last_error: string }>(
      p.alpha,
      "SELECT last_error FROM outbound_queue WHERE status = 'error' LIMIT 1",
    )[0];
    expect(refused?.last_error).toMatch(/503.*Storage full/);
    const health = await fetch(`${p.beta.inst.url}/api/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: "degraded", problems: ["storage full"] });
    const write = await fetch(`${p.beta.inst.url}/api/now/table/incident`, {
      method: "POST",
      headers: { authorization: admin, "content-type": "application/json" },
      // ~300 KB of comments and description: more than the folder has left
      body: JSON.stringify({
        short_description: "Refused",
        description: "x".repeat(30_000),
        comments: "y".repeat(300_000),
      }),
    });
    expect(write.status).toBe(503);
    expect(write.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(((await write.json()) as { error: { message: string } }).error.message).toBe("Storage full");
    const validate = await trpc<{ ok: boolean; message: string }>(p.alpha, "syncConfig.validateAndActivate", {
      id: remote.id,
    });
    expect(validate.ok).toBe(false);
    expect(validate.message).toMatch(/Storage full/);
    expect(p.beta.inst.process.exitCode).toBeNull(); // beta did not crash

    // ACT: space is freed
    fs.rmSync(filler);
    await waitFor(
      async () => (await fetch(`${p.beta.inst.url}/api/health`)).ok,
      20_000,
      "beta's health to be ok",
    );
    expect(
      (await trpc<{ ok: boolean }>(p.alpha, "syncConfig.validateAndActivate", { id: remote.id })).ok,
    ).toBe(true);

    // ASSERT: everything arrives once, nothing stranded, the database is sound
    await waitFor(
      () =>
        query<{ n: number }>(
          p.alpha,
          "SELECT count(*) AS n FROM outbound_queue WHERE status = 'processed'",
        )[0]?.n === BURST,
      90_000,
      "alpha's rows to be processed",
    ).catch((e) => {
      console.log(
        query(p.alpha, "SELECT status, error_kind, count(*) AS n FROM outbound_queue GROUP BY 1, 2"),
      );
      throw e;
    });
    await waitFor(
      () =>
        query<{ n: number }>(p.beta, "SELECT count(*) AS n FROM inbound_queue WHERE status = 'processed'")[0]
          ?.n === BURST,
      90_000,
      "beta's rows to be processed",
    ).catch((e) => {
      console.log(
        query(
          p.beta,
          "SELECT status, error_kind, attempts, last_error FROM inbound_queue WHERE status != 'processed' LIMIT 5",
        ),
      );
      throw e;
    });
    const onBeta = query<{ n: number; d: number }>(
      p.beta,
      `SELECT count(*) AS n, count(DISTINCT json_extract(data, '$.short_description')) AS d FROM record
       WHERE table_name = 'incident' AND json_extract(data, '$.short_description') LIKE 'Full %'`,
    )[0];
    expect(onBeta).toEqual({ n: BURST, d: BURST });
    expect(query<{ integrity_check: string }>(p.beta, "PRAGMA integrity_check")).toEqual([
      { integrity_check: "ok" },
    ]);
    const retried = query<{ n: number }>(
      p.beta,
      "SELECT count(*) AS n FROM inbound_queue WHERE retry_history != '[]'",
    )[0];
    console.log(`beta inbound rows retried while full: ${retried?.n}`);
  });
});

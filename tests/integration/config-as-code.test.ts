import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoCredentials } from "../../server/instance/demo-sync-seed";
import { type RunningInstance, startInstance } from "../support/instances";
import { api, hardwareGroup, type Pair, query, startPair, trpc, waitFor } from "../support/pair";

// The README's configuration-as-code workflow with the real CLI against real instances: export
// alpha, replace it by a fresh instance (demo records, no sync configuration) on the same port,
// import with --dry-run (nothing changes) and for real, Validate and Activate, and the scenario
// syncs again; exporting the new instance gives the same files.

function tandem(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ["scripts/tandem.mjs", ...args], {
    encoding: "utf8",
    env: { ...process.env, TANDEM_USER: "admin", TANDEM_PASSWORD: "admin", ...env },
  });
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

function readTree(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const full = path.join(entry.parentPath, entry.name);
      files[path.relative(root, full)] = fs.readFileSync(full, "utf8");
    }
  }
  return files;
}

describe("configuration as code", () => {
  let pair: Pair;
  let fresh: RunningInstance | undefined;
  const folder = fs.mkdtempSync(
    path.join(process.env.TANDEM_TEST_DATA_ROOT ?? os.tmpdir(), "tandem-config-"),
  );
  beforeAll(async () => {
    pair = await startPair();
  });
  afterAll(async () => {
    await Promise.all([pair?.beta.inst.stop(), pair?.alpha.inst.stop(), fresh?.stop()]);
  });

  it("exports, imports into an empty instance (dry run, then for real) that syncs, and exports the same files", async () => {
    // ARRANGE: alpha's configuration in a folder
    const exported = tandem(["export", folder, "--url", pair.alpha.inst.url]);
    expect(exported.code, exported.out).toBe(0);
    const first = readTree(folder);
    expect(Object.keys(first).length).toBeGreaterThan(10);
    const secrets = demoCredentials(pair.secret, "alpha", "beta");
    expect(Object.values(first).join("")).not.toContain(secrets.password);

    // A fresh alpha: same port (beta's remote system points there), demo records, no sync configuration.
    await pair.alpha.inst.stop();
    fresh = await startInstance({ name: "alpha", port: pair.alpha.port, env: { TANDEM_SEED: "demo" } });
    const url = fresh.url;

    // ACT 1: dry run prints the creations and changes nothing
    const dry = tandem(["import", folder, "--dry-run", "--url", url]);
    expect(dry.code, dry.out).toBe(1); // the inbound API user is missing and no password was given
    expect(dry.out).toMatch(/inbound API user "sync\.beta" does not exist here/);
    expect(dry.out).toContain("TANDEM_REMOTE_BETA_INBOUND_PASSWORD");
    const env = {
      TANDEM_REMOTE_BETA_PASSWORD: secrets.password,
      TANDEM_REMOTE_BETA_SIGNING_SECRET: secrets.signingSecret,
      TANDEM_REMOTE_BETA_INBOUND_PASSWORD: demoCredentials(pair.secret, "beta", "alpha").password,
    };
    const dry2 = tandem(["import", folder, "--dry-run", "--url", url], env);
    expect(dry2.code, dry2.out).toBe(0);
    expect(dry2.out).toMatch(/\+ created\s+remote-system "beta"/);
    expect(dry2.out).toMatch(/\+ created\s+capture-definition "Hardware incidents"/);
    expect(dry2.out).toContain("(dry run: nothing was changed)");
    const overview = await trpcQuery<{ remotes: unknown[]; captures: unknown[] }>(url, "syncConfig.overview");
    expect(overview.remotes).toHaveLength(0);
    expect(overview.captures).toHaveLength(0);

    // ACT 2: import for real, then Validate and Activate
    const applied = tandem(["import", folder, "--url", url], env);
    expect(applied.code, applied.out).toBe(0);
    expect(applied.out).toMatch(/created, 0 changed, 0 removed: applied/);
    const remoteId = secrets.remoteId;
    // This process's fetch pool may still hold a keep-alive socket to the old alpha on this port:
    // a POST on it fails before reaching the new server ("other side closed"), so try once more.
    const validate = () =>
      trpc<{ ok: boolean; message: string }>(
        { ...pair.alpha, inst: fresh as RunningInstance },
        "syncConfig.validateAndActivate",
        {
          id: remoteId,
        },
      );
    const outcome = await validate().catch(validate);
    expect(outcome.ok, outcome.message).toBe(true);

    // ASSERT: the scenario syncs from the imported instance
    const member = { ...pair.alpha, inst: fresh, dataDir: fresh.dataDir };
    const created = await api(member, "POST", "/api/now/table/incident", {
      short_description: "Imported config works",
      assignment_group: await hardwareGroup(member),
    });
    expect(created.status).toBe(201);
    await waitFor(
      () =>
        query<{ n: number }>(
          pair.beta,
          "SELECT count(*) AS n FROM record WHERE table_name = 'incident' AND json_extract(data, '$.short_description') = 'Imported config works'",
        )[0]?.n === 1,
      30_000,
      "the incident to reach beta",
    );

    // ...and exporting the imported instance gives identical files
    const again = fs.mkdtempSync(
      path.join(process.env.TANDEM_TEST_DATA_ROOT ?? os.tmpdir(), "tandem-config-again-"),
    );
    expect(tandem(["export", again, "--url", url]).code).toBe(0);
    expect(readTree(again)).toEqual(first);
    const same = tandem(["import", again, "--dry-run", "--url", url]);
    expect(same.out).toContain("0 created, 0 changed, 0 removed");
  });

  it("refuses a folder with a broken file, naming it, and changes nothing", async () => {
    const url = fresh?.url ?? "";
    const broken = fs.mkdtempSync(
      path.join(process.env.TANDEM_TEST_DATA_ROOT ?? os.tmpdir(), "tandem-config-broken-"),
    );
    fs.cpSync(folder, broken, { recursive: true });
    const capture = fs.readdirSync(path.join(broken, "capture-definitions"))[0] ?? "";
    const file = path.join(broken, "capture-definitions", capture);
    const doc = JSON.parse(fs.readFileSync(file, "utf8"));
    fs.writeFileSync(file, JSON.stringify({ ...doc, sourceTable: "no_such_table", includeFields: ["x"] }));
    fs.writeFileSync(path.join(broken, "stray.json"), "{ oops");
    const before = readTree(folder);
    const result = tandem(["import", broken, "--url", url]);
    expect(result.code).toBe(1);
    expect(result.out).toContain("stray.json: not valid JSON");
    fs.rmSync(path.join(broken, "stray.json"));
    const second = tandem(["import", broken, "--url", url]);
    expect(second.code).toBe(1);
    expect(second.out).toMatch(/capture-definitions\/.*table "no_such_table" does not exist here/);
    expect(second.out).toContain("nothing was changed");
    const check = fs.mkdtempSync(
      path.join(process.env.TANDEM_TEST_DATA_ROOT ?? os.tmpdir(), "tandem-config-check-"),
    );
    tandem(["export", check, "--url", url]);
    expect(readTree(check)).toEqual(before);
    expect(tandem(["export", check, "--url", "http://127.0.0.1:9"]).out).toMatch(/cannot reach/);
    expect(tandem(["export", check, "--url", url], { TANDEM_PASSWORD: "wrong" }).out).toMatch(
      /sign-in refused/,
    );
  });
});

async function trpcQuery<T>(url: string, procedure: string): Promise<T> {
  const res = await fetch(`${url}/api/trpc/${procedure}`, {
    headers: { authorization: `Basic ${Buffer.from("admin:admin").toString("base64")}` },
  });
  const body = (await res.json()) as { result: { data: T } };
  return body.result.data;
}

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config/env";
import { demoCredentials } from "../instance/demo-sync-seed";
import { createInstance, type Instance, stopInstance } from "../instance/instance";
import { applyPlan } from "./apply";
import { exportFiles } from "./export";
import { planImport } from "./plan";

// Export from a configured instance, import into one without sync configuration, export again:
// the files are the same. Real instances (SQLite files in temp folders), in process.

const actor = { userName: "admin", origin: "ui" as const };
const pairingSecret = "c0ffee".repeat(8);

async function boot(name: string, env: Record<string, string>): Promise<Instance> {
  const dataDir = fs.mkdtempSync(
    path.join(process.env.TANDEM_TEST_DATA_ROOT ?? os.tmpdir(), `tandem-cac-${name}-`),
  );
  const full = { TANDEM_INSTANCE: "alpha", TANDEM_DATA_DIR: dataDir, TANDEM_LOG_LEVEL: "silent", ...env };
  // The demo pairing is read from the process environment at boot.
  const saved = { ...process.env };
  Object.assign(process.env, full);
  try {
    return await createInstance(loadConfig({ ...process.env, ...full }));
  } finally {
    for (const key of Object.keys(full)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}

describe("configuration as code", () => {
  let source: Instance;
  let target: Instance;
  beforeAll(async () => {
    source = await boot("source", {
      TANDEM_SEED: "demo",
      TANDEM_DEMO_PAIRING: pairingSecret,
      TANDEM_DEMO_PEER: "beta",
      TANDEM_DEMO_PEER_URL: "http://127.0.0.1:9",
    });
    target = await boot("target", { TANDEM_SEED: "demo" });
  });
  afterAll(async () => {
    await Promise.all([source && stopInstance(source), target && stopInstance(target)]);
  });

  const secrets = () => ({
    beta: {
      outboundSecret: demoCredentials(pairingSecret, "alpha", "beta").password,
      signingSecret: demoCredentials(pairingSecret, "alpha", "beta").signingSecret,
      inboundPassword: demoCredentials(pairingSecret, "beta", "alpha").password,
    },
  });

  it("exports stable files without secrets", async () => {
    const files = await exportFiles(source);
    expect(await exportFiles(source)).toEqual(files);
    const paths = Object.keys(files);
    expect(paths).toContain("tandem.json");
    for (const dir of [
      "sync-definitions/",
      "process-events/",
      "capture-definitions/",
      "remote-systems/",
      "flow-bindings/",
      "flows/",
    ])
      expect(paths.some((p) => p.startsWith(dir))).toBe(true);
    const all = Object.values(files).join("\n");
    const { password, signingSecret } = demoCredentials(pairingSecret, "alpha", "beta");
    expect(all).not.toContain(password);
    expect(all).not.toContain(signingSecret);
    expect(all).not.toMatch(/outboundSecret|signingSecret|createdAt|outboundState/);
    // The capture's group is named, not given by this instance's sys_id.
    expect(all).toContain('"value": "Hardware"');
  });

  it("plans creations on an instance without sync configuration, applies them, and exports the same files", async () => {
    const files = await exportFiles(source);
    const dry = await planImport(target, files, secrets());
    expect(dry.errors).toEqual([]);
    expect(dry.changes.length).toBeGreaterThan(8);
    expect(dry.changes.every((c) => c.action === "created")).toBe(true);
    expect(await target.sync.config.listRemotes()).toHaveLength(0); // planning wrote nothing

    await applyPlan(target, dry, secrets(), actor);
    expect(await exportFiles(target)).toEqual(files);
    const remote = (await target.sync.config.listRemotes())[0];
    expect(remote?.hasOutboundSecret && remote.hasSigningSecret).toBe(true);
    expect(await target.users.findByName("sync.beta")).not.toBeNull();
    expect(target.sync.config.credentials(remote?.id ?? "").secret).toBe(secrets().beta.outboundSecret);
    // The imported capture points at the target's own Hardware group.
    const group = await target.records.resolveReference("sys_user_group", "Hardware");
    expect(JSON.stringify((await target.sync.config.listCaptures())[0]?.filter)).toContain(
      group ?? "missing",
    );
    // A second import of the same files changes nothing.
    expect((await planImport(target, files, secrets())).changes).toEqual([]);
  });

  it("reports a field diff for a changed object and a removal", async () => {
    const files = { ...(await exportFiles(source)) };
    const capturePath = Object.keys(files).find((p) => p.startsWith("capture-definitions/")) ?? "";
    const capture = JSON.parse(files[capturePath] ?? "{}");
    capture.includeFields = [...capture.includeFields, "priority"];
    files[capturePath] = JSON.stringify(capture);
    const bindingPath = Object.keys(files).find((p) => p.startsWith("flow-bindings/inbound")) ?? "";
    delete files[bindingPath];
    const plan = await planImport(source, files);
    expect(plan.errors).toEqual([]);
    expect(plan.changes.map((c) => c.action).sort()).toEqual(["changed", "removed"]);
    const changed = plan.changes.find((c) => c.action === "changed");
    expect(changed?.fields).toEqual([
      { path: "includeFields", from: capture.includeFields.slice(0, -1), to: capture.includeFields },
    ]);
  });

  it("refuses what would not compile or validate, naming the file, and changes nothing", async () => {
    const before = await exportFiles(source);
    const files = { ...before };
    const flowFolder =
      Object.keys(files)
        .find((p) => p.endsWith("/v1.json"))
        ?.replace(/v1\.json$/, "") ?? "";
    const v1 = JSON.parse(files[`${flowFolder}v1.json`] ?? "{}");
    const broken = {
      ...v1,
      version: 2,
      graph: { ...v1.graph, nodes: v1.graph.nodes.filter((n: { type: string }) => n.type !== "flow_inputs") },
    };
    files[`${flowFolder}v2.json`] = JSON.stringify(broken);
    files["broken.json"] = "{ not json";
    const eventPath = Object.keys(files).find((p) => p.startsWith("process-events/")) ?? "";
    const event = JSON.parse(files[eventPath] ?? "{}");
    files[eventPath] = JSON.stringify({ ...event, definitionId: "nope" });
    const plan = await planImport(source, files);
    expect(plan.errors.some((e) => e.startsWith("broken.json: not valid JSON"))).toBe(true);

    delete files["broken.json"];
    const second = await planImport(source, files);
    expect(second.errors.some((e) => e.includes("v2.json") && e.includes("does not compile"))).toBe(true);
    expect(second.errors.some((e) => e.startsWith(eventPath) && e.includes("definition nope"))).toBe(true);
    await expect(applyPlan(source, second, {}, actor)).rejects.toThrow(/cannot be imported/);
    expect(await exportFiles(source)).toEqual(before);
  });
});

import { afterAll, describe, expect, it } from "vitest";
import { type RunningInstance, startInstance } from "../support/instances";

// HSTS only over HTTPS (issue 12): the public URL says so, or a trusted proxy forwards
// x-forwarded-proto: https. A client's own x-forwarded-proto counts for nothing.

const running: RunningInstance[] = [];
afterAll(async () => {
  await Promise.all(running.map((r) => r.stop()));
});

async function start(env: Record<string, string>): Promise<RunningInstance> {
  const inst = await startInstance({ name: "headers", env: { TANDEM_SEED: "empty", ...env } });
  running.push(inst);
  return inst;
}

const hsts = async (inst: RunningInstance, headers: Record<string, string> = {}) =>
  (await fetch(`${inst.url}/login`, { headers })).headers.get("strict-transport-security");

describe("Strict-Transport-Security", () => {
  it("is absent on plain http, even when a client claims https", async () => {
    const inst = await start({});
    expect(await hsts(inst)).toBeNull();
    expect(await hsts(inst, { "x-forwarded-proto": "https" })).toBeNull();
  });

  it("is sent behind a trusted proxy that forwards https", async () => {
    const inst = await start({ TANDEM_TRUSTED_PROXIES: "127.0.0.1,::1" });
    expect(await hsts(inst, { "x-forwarded-proto": "https" })).toBe("max-age=31536000; includeSubDomains");
    expect(await hsts(inst)).toBeNull();
  });
});

import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basic, type RunningInstance, startInstance, tempDataDir } from "../support/instances";

// Issue 12, defect 3: a remote system's connection accepted http://169.254.169.254/latest/meta-data
// (saved with 200). Against a real instance: refused at save time with a clear message; private
// addresses refused unless TANDEM_ALLOW_PRIVATE_NETWORKS allows them; and a remote saved while
// they were allowed is refused at connect time, with no connection made, once they are not.

let inst: RunningInstance | undefined;
let listener: net.Server;
let listenerPort = 0;
let connections = 0;
const dataDir = tempDataDir("guard");

beforeAll(async () => {
  listener = net.createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((r) => listener.listen(0, "127.0.0.1", r));
  listenerPort = (listener.address() as net.AddressInfo).port;
});

afterAll(async () => {
  await inst?.stop();
  await new Promise<void>((r) => listener.close(() => r()));
});

async function trpc(
  path: string,
  input: unknown,
): Promise<{ status: number; message?: string; data?: unknown }> {
  const res = await fetch(`${inst?.url}/api/trpc/${path}`, {
    method: "POST",
    headers: { authorization: basic("admin", "admin"), "content-type": "application/json" },
    body: JSON.stringify(input),
  });
  const json = (await res.json()) as { result?: { data: unknown }; error?: { message: string } };
  return { status: res.status, message: json.error?.message, data: json.result?.data };
}

const remote = (baseUrl: string, name = "Peer") => ({
  name,
  baseUrl,
  externalId: "0".repeat(32),
  outboundUser: "u",
  outboundSecret: "s",
});

describe("outbound URL guard (private networks not allowed)", () => {
  beforeAll(async () => {
    inst = await startInstance({
      name: "guard",
      dataDir,
      env: { TANDEM_SEED: "empty", TANDEM_ALLOW_PRIVATE_NETWORKS: "" },
    });
  });

  it("refuses the metadata URL at save time with a clear message, and saves nothing", async () => {
    const res = await trpc("syncConfig.createRemote", remote("http://169.254.169.254/latest/meta-data"));
    expect(res.status).toBe(400);
    expect(res.message).toBe(
      "Refused: 169.254.169.254, a link-local/metadata address; Tandem never connects there",
    );
    const overview = (await fetch(`${inst?.url}/api/trpc/syncConfig.overview`, {
      headers: { authorization: basic("admin", "admin") },
    }).then((r) => r.json())) as { result: { data: { remotes: unknown[] } } };
    expect(overview.result.data.remotes).toEqual([]);
  });

  it("refuses loopback and other private addresses without the setting, and other schemes", async () => {
    const loop = await trpc("syncConfig.createRemote", remote(`http://127.0.0.1:${listenerPort}`));
    expect(loop.status).toBe(400);
    expect(loop.message).toMatch(
      /127\.0\.0\.1, a private or loopback address; allow it with TANDEM_ALLOW_PRIVATE_NETWORKS/,
    );
    expect((await trpc("syncConfig.createRemote", remote("http://10.0.0.8:3001"))).status).toBe(400);
    expect((await trpc("syncConfig.createRemote", remote("ftp://peer.example.com/"))).message).toMatch(
      /ftp: is not allowed/,
    );
  });

  afterAll(async () => {
    await inst?.stop();
    inst = undefined;
  });
});

describe("outbound URL guard (private networks allowed, then not)", () => {
  let remoteId = "";

  it("accepts a loopback peer when TANDEM_ALLOW_PRIVATE_NETWORKS=1, still refusing metadata", async () => {
    inst = await startInstance({
      name: "guard",
      dataDir,
      env: { TANDEM_SEED: "empty", TANDEM_ALLOW_PRIVATE_NETWORKS: "1" },
    });
    const ok = await trpc("syncConfig.createRemote", remote(`http://127.0.0.1:${listenerPort}`));
    expect(ok.status).toBe(200);
    remoteId = (ok.data as { id: string }).id;
    expect(
      (await trpc("syncConfig.createRemote", remote("http://[::ffff:169.254.169.254]/", "Meta"))).status,
    ).toBe(400);
    await inst.stop();
    inst = undefined;
  });

  it("once private networks are no longer allowed, Validate and Activate refuses at connect time without connecting", async () => {
    inst = await startInstance({
      name: "guard",
      dataDir,
      env: { TANDEM_SEED: "empty", TANDEM_ALLOW_PRIVATE_NETWORKS: "" },
    });
    const before = connections;
    const res = await trpc("syncConfig.validateAndActivate", { id: remoteId });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({
      ok: false,
      check: "reachable",
      message: expect.stringMatching(
        /Not connecting to Peer: Refused: 127\.0\.0\.1, a private or loopback address/,
      ),
    });
    expect(connections).toBe(before);
  });
});

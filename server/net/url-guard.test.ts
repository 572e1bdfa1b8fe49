import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SyncClient } from "../transport/client";
import { guardedFetch } from "./guarded-fetch";
import { OutboundGuard, type Resolver } from "./url-guard";

// DNS cannot run here, so names resolve through an injected resolver; connections are real
// (loopback sockets), so the address checked is seen to be the address connected to.

const names: Record<string, string[]> = {
  "peer.example": ["93.184.216.34"],
  "meta.example": ["169.254.169.254"],
  "v6meta.example": ["fd00:ec2::254"],
  "lan.example": ["10.1.2.3"],
  "mixed.example": ["93.184.216.34", "192.168.1.10"],
  "local.example": ["127.0.0.1"],
  "linklocal6.example": ["fe80::1"],
};
const resolver: Resolver = async (host) => {
  const found = names[host];
  if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
  return found.map((address) => ({ address, family: net.isIP(address) }));
};

const strict = new OutboundGuard({ allowPrivate: "", resolve: resolver });
const lenient = new OutboundGuard({ allowPrivate: "1", resolve: resolver });
const lanOnly = new OutboundGuard({ allowPrivate: "10.0.0.0/8", resolve: resolver });

describe("outbound URL guard", () => {
  it("refuses the metadata URL of the issue with a clear message, even when private networks are allowed", async () => {
    for (const guard of [strict, lenient]) {
      expect(await guard.checkUrl("http://169.254.169.254/latest/meta-data")).toEqual({
        ok: false,
        message: "Refused: 169.254.169.254, a link-local/metadata address; Tandem never connects there",
      });
    }
    expect(await lenient.checkUrl("http://meta.example/")).toEqual({
      ok: false,
      message:
        "Refused: meta.example resolves to 169.254.169.254, a link-local/metadata address; Tandem never connects there",
    });
    expect(await lenient.checkUrl("http://v6meta.example/")).toMatchObject({
      ok: false,
      message: /metadata/,
    });
    expect(await lenient.checkUrl("http://[fe80::1]:8080/")).toMatchObject({
      ok: false,
      message: /link-local/,
    });
    expect(await lenient.checkUrl("http://linklocal6.example/")).toMatchObject({
      ok: false,
      message: /link-local/,
    });
    expect(await lenient.checkUrl("http://[::ffff:169.254.169.254]/")).toMatchObject({
      ok: false,
      message: /metadata/,
    });
    expect(await lenient.checkUrl("http://metadata.google.internal/computeMetadata/v1/")).toMatchObject({
      ok: false,
      message: /metadata service/,
    });
  });

  it("only http(s), and no credentials in the URL", async () => {
    expect(await lenient.checkUrl("file:///etc/passwd")).toMatchObject({
      ok: false,
      message: /file: is not allowed/,
    });
    expect(await lenient.checkUrl("gopher://peer.example/")).toMatchObject({ ok: false });
    expect(await lenient.checkUrl("http://u:p@peer.example/")).toMatchObject({
      ok: false,
      message: /user name/,
    });
    expect(await lenient.checkUrl("smtp://peer.example:25", ["smtp:", "smtps:"])).toEqual({ ok: true });
  });

  it("private, loopback and ULA ranges only when allowed (all, or a list of CIDRs)", async () => {
    for (const url of [
      "http://10.0.0.5/",
      "http://127.0.0.1:3001/",
      "http://[::1]:3001/",
      "http://[fd12::1]/",
      "http://lan.example/",
      "http://local.example/",
    ]) {
      expect(await strict.checkUrl(url)).toMatchObject({
        ok: false,
        message: /private or loopback.*TANDEM_ALLOW_PRIVATE_NETWORKS/,
      });
      expect(await lenient.checkUrl(url)).toEqual({ ok: true });
    }
    expect(await lanOnly.checkUrl("http://lan.example/")).toEqual({ ok: true });
    expect(await lanOnly.checkUrl("http://127.0.0.1/")).toMatchObject({ ok: false });
    expect(await strict.checkUrl("https://peer.example/")).toEqual({ ok: true });
  });

  it("a name is refused when any of its addresses is", async () => {
    expect(await strict.checkUrl("http://mixed.example/")).toMatchObject({
      ok: false,
      message: /192\.168\.1\.10/,
    });
  });
});

describe("connect-time refusal: the checked address is the one connected to", () => {
  let server: net.Server;
  let port = 0;
  beforeAll(async () => {
    server = net.createServer((s) => {
      s.on("error", () => undefined); // the client hangs up at once
      s.end("hello");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const connect = (guard: OutboundGuard, host: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = net.connect({ host, port, lookup: guard.lookup });
      socket.once("connect", () => {
        resolve(socket.remoteAddress ?? "");
        socket.destroy();
      });
      socket.once("error", reject);
    });

  it("connects through lookup to the address it checked", async () => {
    expect(await connect(lenient, "local.example")).toBe("127.0.0.1");
  });

  it("refuses before connecting when the name resolves to a forbidden address", async () => {
    await expect(connect(lenient, "meta.example")).rejects.toMatchObject({ code: "TANDEM_ADDRESS_REFUSED" });
    await expect(connect(strict, "local.example")).rejects.toMatchObject({
      message: /local\.example resolves to 127\.0\.0\.1, a private or loopback address/,
    });
  });

  it("DNS rebinding: a resolver that answers public, then private, never gets the private one connected", async () => {
    let calls = 0;
    const flipping = new OutboundGuard({
      allowPrivate: "",
      resolve: async () => [{ address: calls++ === 0 ? "93.184.216.34" : "127.0.0.1", family: 4 }],
    });
    expect(await flipping.checkUrl("http://rebind.example/")).toEqual({ ok: true }); // save time
    await expect(connect(flipping, "rebind.example")).rejects.toMatchObject({
      code: "TANDEM_ADDRESS_REFUSED",
    });
  });

  it("the sync client refuses a remote at a literal forbidden address as a data error naming it", async () => {
    const remote = { id: "r1", name: "evil", baseUrl: "http://169.254.169.254" };
    const config = {
      remote: () => remote,
      credentials: () => ({
        user: "u",
        secret: "s",
        signingSecret: `whsec_${Buffer.from("k".repeat(32)).toString("base64")}`,
      }),
    } as unknown as ConstructorParameters<typeof SyncClient>[0];
    const client = new SyncClient(config, lenient);
    await expect(client.call("r1", "/api/sync/v1/attachments/request", {})).rejects.toMatchObject({
      code: "ADDRESS_REFUSED",
      message: /Not connecting to evil: Refused: 169\.254\.169\.254, a link-local\/metadata address/,
    });
    await client.close();
  });
});

describe("guarded fetch (pairing)", () => {
  let server: http.Server;
  let base = "";
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === "/redirect")
        res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data" }).end();
      else res.writeHead(200, { "content-type": "application/json" }).end('{"result":{}}');
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("reaches an allowed peer, follows no redirect, and refuses forbidden hosts before connecting", async () => {
    const get = guardedFetch(lenient);
    expect((await get(`${base}/ok`)).status).toBe(200);
    await expect(get(`${base}/redirect`)).rejects.toThrow(
      /answered with a redirect \(302\); Tandem does not follow redirects/,
    );
    await expect(guardedFetch(strict)(`${base}/ok`)).rejects.toThrow(/private or loopback/);
    await expect(get("http://169.254.169.254/latest/meta-data")).rejects.toThrow(/link-local\/metadata/);
    await expect(get("file:///etc/passwd")).rejects.toThrow(/file: is not allowed/);
  });
});

import dns from "node:dns";
import { BlockList, isIP, type LookupFunction } from "node:net";
import { normaliseAddress, parseCidrList } from "./client-address";

// Every connection the server opens to a URL from configuration (remote systems, pairing,
// attachment transfers, the SMTP relay) goes through this guard (issue 12): only the expected
// schemes; never link-local or cloud-metadata addresses; private, loopback and ULA ranges only
// when the administrator allows them. Names are checked after DNS resolution, and the connection
// goes to the very address that was checked (`lookup`), so a name cannot resolve to a public
// address for the check and a private one for the connect (DNS rebinding).

export type Resolver = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

const systemResolver: Resolver = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

const v4 = (list: BlockList, cidr: string) => {
  const [a = "", b = "32"] = cidr.split("/");
  list.addSubnet(a, Number(b), "ipv4");
};
const v6 = (list: BlockList, cidr: string) => {
  const [a = "", b = "128"] = cidr.split("/");
  list.addSubnet(a, Number(b), "ipv6");
};

// Metadata services of the clouds (AWS, GCP, Azure, Oracle: 169.254.169.254; AWS IPv6; Alibaba).
const metadataAddresses = new Set(["169.254.169.254", "fd00:ec2::254", "100.100.100.200", "169.254.170.2"]);
const metadataNames = new Set(["metadata.google.internal", "metadata.goog", "metadata", "instance-data"]);

/** Never reached, whatever the settings. */
const forbidden = new BlockList();
for (const c of ["169.254.0.0/16", "0.0.0.0/8", "224.0.0.0/4", "240.0.0.0/4", "255.255.255.255/32"])
  v4(forbidden, c);
for (const c of ["fe80::/10", "ff00::/8", "::/128"]) v6(forbidden, c);

/** Reached only when the administrator allows private networks. */
const privateRanges = new BlockList();
for (const c of [
  "10.0.0.0/8",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "127.0.0.0/8",
  "100.64.0.0/10",
  "198.18.0.0/15",
])
  v4(privateRanges, c);
for (const c of ["::1/128", "fc00::/7"]) v6(privateRanges, c);

const typeOf = (address: string) => (isIP(address) === 6 ? "ipv6" : "ipv4");

export class AddressRefusedError extends Error {
  readonly code = "TANDEM_ADDRESS_REFUSED";
  constructor(message: string) {
    super(message);
    this.name = "AddressRefusedError";
  }
}

export interface GuardOptions {
  /** TANDEM_ALLOW_PRIVATE_NETWORKS: "" none, "1"/"true" all private ranges, or a CIDR list. */
  allowPrivate: string;
  resolve?: Resolver;
}

export class OutboundGuard {
  private readonly allowAllPrivate: boolean;
  private readonly allowed: BlockList | null;
  private readonly resolve: Resolver;

  constructor(options: GuardOptions) {
    const setting = options.allowPrivate.trim().toLowerCase();
    this.allowAllPrivate = ["1", "true", "yes", "all"].includes(setting);
    this.allowed =
      !this.allowAllPrivate && setting !== "" && setting !== "0" && setting !== "false"
        ? parseCidrList(options.allowPrivate, "TANDEM_ALLOW_PRIVATE_NETWORKS")
        : null;
    this.resolve = options.resolve ?? systemResolver;
  }

  /** Why this address may not be reached, or null when it may. */
  refusal(rawAddress: string, shownAs?: string): string | null {
    const address = normaliseAddress(rawAddress);
    const what = shownAs && shownAs !== address ? `${shownAs} resolves to ${address}` : address;
    const type = typeOf(address);
    if (metadataAddresses.has(address) || forbidden.check(address, type))
      return `${what}, a link-local/metadata address; Tandem never connects there`;
    if (privateRanges.check(address, type)) {
      if (this.allowAllPrivate || this.allowed?.check(address, type)) return null;
      return `${what}, a private or loopback address; allow it with TANDEM_ALLOW_PRIVATE_NETWORKS (1, or a list of CIDR ranges)`;
    }
    return null;
  }

  /** Checks scheme and every address the host resolves to; the message says what is wrong. */
  async checkUrl(
    text: string,
    schemes: readonly string[] = ["http:", "https:"],
  ): Promise<{ ok: true } | { ok: false; message: string }> {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return { ok: false, message: `${text} is not a URL` };
    }
    if (!schemes.includes(url.protocol))
      return {
        ok: false,
        message: `${url.protocol} is not allowed here; use ${schemes.map((s) => s.slice(0, -1)).join(" or ")}`,
      };
    if (url.username || url.password)
      return { ok: false, message: "The URL may not carry a user name or password" };
    const host = url.hostname.replace(/^\[|\]$/g, "");
    try {
      await this.resolveChecked(host);
      return { ok: true };
    } catch (error) {
      return { ok: false, message: error instanceof Error ? error.message : String(error) };
    }
  }

  /** The addresses of `host` (an IP literal or a name), all checked; throws AddressRefusedError. */
  async resolveChecked(host: string): Promise<Array<{ address: string; family: number }>> {
    const name = host.toLowerCase().replace(/\.$/, "");
    if (metadataNames.has(name))
      throw new AddressRefusedError(`${host} is a cloud metadata service; Tandem never connects there`);
    const addresses = isIP(name) ? [{ address: name, family: isIP(name) }] : await this.resolve(name);
    if (addresses.length === 0) throw new AddressRefusedError(`${host} does not resolve to any address`);
    for (const a of addresses) {
      const why = this.refusal(a.address, host);
      if (why) throw new AddressRefusedError(`Refused: ${why}`);
    }
    return addresses;
  }

  /** Synchronous part of the check, for IP literals and metadata names (`lookup` covers names). */
  checkLiteral(host: string): void {
    const name = host.toLowerCase().replace(/\.$/, "");
    if (metadataNames.has(name))
      throw new AddressRefusedError(`${host} is a cloud metadata service; Tandem never connects there`);
    if (isIP(name) === 0) return;
    const why = this.refusal(name);
    if (why) throw new AddressRefusedError(`Refused: ${why}`);
  }

  /**
   * A `lookup` for net/tls.connect (and undici's `connect` option): resolves, checks, and hands
   * back only the checked addresses. Node skips `lookup` for IP literals: check those with
   * `resolveChecked` before connecting.
   */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    this.resolveChecked(hostname).then(
      (addresses) => {
        const wanted =
          options.family === 4 || options.family === 6
            ? addresses.filter((a) => a.family === options.family)
            : addresses;
        if (wanted.length === 0)
          return callback(
            Object.assign(new Error(`${hostname}: no address of the wanted family`), { code: "ENOTFOUND" }),
            "",
            0,
          );
        if (options.all) return (callback as unknown as (e: null, a: typeof wanted) => void)(null, wanted);
        const first = wanted[0] as { address: string; family: number };
        callback(null, first.address, first.family);
      },
      (error: Error) => callback(error as NodeJS.ErrnoException, "", 0),
    );
  };
}

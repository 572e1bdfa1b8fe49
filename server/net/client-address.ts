import { BlockList, isIP } from "node:net";
import type { HeaderReader } from "./headers";

/**
 * The header that carries the TCP peer's address into route handlers. Next's route handlers
 * see no socket, and the `x-forwarded-for` Next fills in keeps whatever the client sent, so the
 * process stamps this header itself from `socket.remoteAddress`, overwriting any value a client
 * sent (server/instance/peer-address.ts).
 */
export const peerAddressHeader = "x-tandem-peer-address";

/** Parses "10.0.0.0/8, 192.168.1.5, ::1" into a BlockList; throws on a malformed entry. */
export function parseCidrList(text: string, what: string): BlockList {
  const list = new BlockList();
  for (const raw of text.split(",")) {
    const entry = raw.trim();
    if (entry === "") continue;
    const [address = "", bits] = entry.split("/");
    const family = isIP(address);
    if (family === 0) throw new Error(`${what}: "${entry}" is not an IP address or CIDR range`);
    const type = family === 4 ? "ipv4" : "ipv6";
    if (bits === undefined) list.addAddress(address, type);
    else {
      const prefix = Number(bits);
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128))
        throw new Error(`${what}: "${entry}" has an invalid prefix length`);
      list.addSubnet(address, prefix, type);
    }
  }
  return list;
}

/** Strips the IPv4-mapped IPv6 prefix (::ffff:1.2.3.4 → 1.2.3.4). */
export function normaliseAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped?.[1] ?? address;
}

export function inList(list: BlockList, address: string): boolean {
  const a = normaliseAddress(address);
  const family = isIP(a);
  return family !== 0 && list.check(a, family === 4 ? "ipv4" : "ipv6");
}

/**
 * Who is calling: the TCP peer, unless that peer is a trusted proxy, in which case the nearest
 * `x-forwarded-for` entry that is not itself a trusted proxy. Without trusted proxies,
 * `x-forwarded-for` is ignored (anyone can send it).
 */
export function clientAddress(headers: HeaderReader, trustedProxies: BlockList | null): string {
  const peer = normaliseAddress(headers.get(peerAddressHeader)?.trim() || "unknown");
  if (!trustedProxies || !inList(trustedProxies, peer)) return peer;
  const forwarded = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => normaliseAddress(s.trim()))
    .filter((s) => s !== "");
  for (let i = forwarded.length - 1; i >= 0; i--) {
    const hop = forwarded[i] as string;
    if (!inList(trustedProxies, hop)) return hop;
  }
  return peer;
}

/** Whether the request came over https: the socket, or a trusted proxy's x-forwarded-proto. */
export function forwardedHttps(headers: HeaderReader, trustedProxies: BlockList | null): boolean {
  const peer = headers.get(peerAddressHeader)?.trim() ?? "";
  if (!trustedProxies || !inList(trustedProxies, peer)) return false;
  return headers.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https";
}

import { Agent, fetch as undiciFetch } from "undici";
import { AddressRefusedError, type OutboundGuard } from "./url-guard";

/**
 * fetch for URLs from outside (pairing invitations): http(s) only, the host checked by the
 * guard (IP literals here, names in `lookup`, which also picks the address connected to), and no
 * redirects at all, so a peer cannot bounce us to another host.
 */
export function guardedFetch(guard: OutboundGuard): typeof fetch {
  const dispatcher = new Agent({ connect: { lookup: guard.lookup } });
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
    if (url.protocol !== "http:" && url.protocol !== "https:")
      throw new AddressRefusedError(`${url.protocol} is not allowed; use http or https`);
    guard.checkLiteral(url.hostname.replace(/^\[|\]$/g, ""));
    const response = await undiciFetch(url, {
      ...(init as Parameters<typeof undiciFetch>[1]),
      redirect: "manual",
      dispatcher,
    });
    if (response.status >= 300 && response.status < 400)
      throw new AddressRefusedError(
        `${url.origin} answered with a redirect (${response.status}); Tandem does not follow redirects`,
      );
    return response;
  }) as unknown as typeof fetch;
}

import diagnostics from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import { peerAddressHeader } from "../net/client-address";

// Node publishes every incoming request on this channel just before the server's "request"
// event, in the same process that runs Next's route handlers. Stamping the socket's address as
// a header here is the one way a route handler can learn who is really connected: Next exposes
// no socket, and its x-forwarded-for keeps what the client sent.
const channel = "http.server.request.start";
const installed = Symbol.for("tandem.peerAddress");

export function stampPeerAddresses(): void {
  const g = globalThis as { [installed]?: boolean };
  if (g[installed]) return;
  g[installed] = true;
  diagnostics.subscribe(channel, (message) => {
    const request = (message as { request?: IncomingMessage }).request;
    if (!request) return;
    // Overwrites a value the client may have sent under the same name.
    request.headers[peerAddressHeader] = request.socket?.remoteAddress ?? "unknown";
  });
}

import { canOpen } from "@/server/api/access";
import { authenticate } from "@/server/auth/authenticate";
import { canUseUi } from "@/server/auth/roles";
import { instance } from "@/server/instance/instance";
import type { LiveTopic } from "@/server/queue/live";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// Server-sent events carrying only "this changed" ticks (queues, remote states); the data
// itself stays in typed tRPC queries that the browser refetches. Chosen over tRPC
// subscriptions because EventSource reconnects by itself, needs no change to the shared tRPC
// link chain, and the payload is a list of topic names, so typing it buys nothing.

const heartbeatMs = 15_000;

export async function GET(request: Request) {
  const inst = await instance();
  const auth = await authenticate(request, inst);
  if (
    !auth.ok ||
    !canUseUi(auth.user) ||
    !(canOpen(auth.user, "queues") || canOpen(auth.user, "dashboard") || canOpen(auth.user, "flows"))
  )
    return new Response("Sign in to watch live changes", { status: 401 });

  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (event: string, data: unknown) => {
        try {
          controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
        } catch {
          cleanup();
        }
      };
      send("ready", { at: Date.now() });
      const unsubscribe = inst.sync.live.subscribe((topics: LiveTopic[]) => send("change", { topics }));
      // A comment line now and then keeps proxies from closing an idle stream.
      const heartbeat = setInterval(() => send("ping", {}), heartbeatMs);
      cleanup = () => {
        clearInterval(heartbeat);
        unsubscribe();
      };
      request.signal.addEventListener("abort", () => {
        cleanup();
        try {
          controller.close();
        } catch {
          // already closed
        }
      });
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream",
      "cache-control": "no-store, no-transform",
      connection: "keep-alive",
    },
  });
}

import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/api/root";
import { createContext } from "@/server/api/trpc";
import { instance } from "@/server/instance/instance";
import { timedRoute } from "@/server/observability/http";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

async function handler(request: Request): Promise<Response> {
  const inst = await instance();
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext: () => createContext(request, inst),
    // Storage trouble (503) and a throttled sign-in (429) say when to try again, as REST does.
    responseMeta({ ctx, errors }) {
      const wait =
        ctx?.authFailure?.retryAfterSeconds ??
        (errors.some((e) => e.code === "SERVICE_UNAVAILABLE") ? 10 : undefined);
      return wait ? { headers: new Headers({ "Retry-After": String(wait) }) } : {};
    },
    onError({ error, path }) {
      // Caller mistakes are answered, not logged; only failures of ours are.
      if (error.code === "INTERNAL_SERVER_ERROR")
        inst.logger.error({ err: error, path }, "tRPC procedure failed");
    },
  });
}

// One pattern for all procedures: a batch names several in its path.
const timed = timedRoute("/api/trpc/{procedure}", handler);

export { timed as GET, timed as POST };

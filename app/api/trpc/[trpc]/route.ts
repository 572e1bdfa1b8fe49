import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/api/root";
import { createContext } from "@/server/api/trpc";
import { instance } from "@/server/instance/instance";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

async function handler(request: Request): Promise<Response> {
  const inst = await instance();
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext: () => createContext(request, inst),
    // A throttled sign-in (HTTP Basic) says when to try again, as REST and the wire do.
    responseMeta({ ctx }) {
      const wait = ctx?.authFailure?.retryAfterSeconds;
      return wait ? { headers: new Headers({ "Retry-After": String(wait) }) } : {};
    },
    onError({ error, path }) {
      // Caller mistakes are answered, not logged; only failures of ours are.
      if (error.code === "INTERNAL_SERVER_ERROR")
        inst.logger.error({ err: error, path }, "tRPC procedure failed");
    },
  });
}

export { handler as GET, handler as POST };

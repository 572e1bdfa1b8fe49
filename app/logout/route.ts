import { authenticate, readCookie } from "@/server/auth/authenticate";
import { sessionCookie } from "@/server/auth/sessions";
import { instance } from "@/server/instance/instance";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Ends the session and goes to the login page. POST only, from our own origin. */
export async function POST(request: Request): Promise<Response> {
  const inst = await instance();
  const auth = await authenticate(request, inst);
  if (!auth.ok && auth.status === 403) return new Response(auth.message, { status: 403 });
  const token = readCookie(request.headers.get("cookie"), sessionCookie);
  if (token) await inst.sessions.end(token);
  return new Response(null, {
    status: 303,
    headers: {
      location: "/login",
      "set-cookie": `${sessionCookie}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`,
    },
  });
}

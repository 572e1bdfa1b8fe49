import { cookies, headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { authenticate } from "../auth/authenticate";
import { type AuthUser, canUseUi, hasRole, type Role } from "../auth/roles";
import { sessionCookie } from "../auth/sessions";
import { type Instance, instance } from "../instance/instance";

// Server-side session checks for UI pages and the sign-in/out handlers.

/** Who is looking at this page: the session cookie (or HTTP Basic, for scripts), or null. */
export async function currentUser(inst?: Instance): Promise<AuthUser | null> {
  // Headers first: it marks the render dynamic, so `next build` never opens a database here.
  const requestHeaders = await headers();
  const resolved = inst ?? (await instance());
  // authenticate() reads a Request; a page render is a GET, so no origin check applies.
  const request = new Request("http://page.local/", { headers: requestHeaders });
  const result = await authenticate(request, resolved);
  return result.ok ? result.user : null;
}

/**
 * Every UI page calls this first. Not signed in → the login page, coming back to `path`
 * afterwards; signed in but not allowed (a sync_api-only account, or a missing role) → 403.
 * Pages check rather than the layout alone, because a shared layout is not rendered again on
 * client-side navigation.
 */
export async function requireUiUser(options: { path: string; anyOf?: Role[] }): Promise<AuthUser> {
  const user = await currentUser();
  if (!user) redirect(`/login?next=${encodeURIComponent(options.path)}`);
  if (!canUseUi(user)) forbidden();
  if (options.anyOf && !hasRole(user, ...options.anyOf)) forbidden();
  return user;
}

/** Only local paths are followed after login, so a crafted link cannot send users elsewhere. */
export function safeNextPath(next: string | null | undefined): string {
  if (!next?.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  if (next.startsWith("/login") || next.startsWith("/logout")) return "/";
  return next;
}

/** Secure cookies only over https: the demo runs on plain http://localhost. */
async function requestIsHttps(): Promise<boolean> {
  const h = await headers();
  const proto = h.get("x-forwarded-proto")?.split(",")[0]?.trim();
  return proto === "https";
}

export async function setSessionCookie(token: string, expiresAt: Date): Promise<void> {
  (await cookies()).set(sessionCookie, token, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: await requestIsHttps(),
    expires: expiresAt,
  });
}

export async function readSessionToken(): Promise<string | null> {
  return (await cookies()).get(sessionCookie)?.value ?? null;
}

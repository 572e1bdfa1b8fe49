"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import type { LoginState } from "@/components/auth/login-state";
import { safeNextPath, setSessionCookie } from "@/server/api/session";
import { signIn } from "@/server/api/sign-in";
import { instance } from "@/server/instance/instance";

/** The login form's action: verify, open a session, set the cookie, go where the user was going. */
export async function signInAction(_previous: LoginState, form: FormData): Promise<LoginState> {
  const userName = String(form.get("userName") ?? "");
  const password = String(form.get("password") ?? "");
  // The request's headers carry the client address the throttle counts by.
  const result = await signIn(await instance(), userName, password, new Headers(await headers()));
  if (!result.ok) return { error: result.error, field: result.field ?? null, userName };
  await setSessionCookie(result.token, result.expiresAt);
  redirect(safeNextPath(String(form.get("next") ?? "")));
}

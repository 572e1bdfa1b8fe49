import { canUseUi } from "../auth/roles";
import { throttledMessage } from "../auth/sign-in-guard";
import type { Instance } from "../instance/instance";

export type SignInResult =
  | { ok: true; token: string; expiresAt: Date }
  | { ok: false; error: string; field?: "userName" | "password" };

export const wrongCredentials = "Wrong user name or password";
export const apiOnlyAccount =
  "This account is for instance-to-instance sync only (role sync_api) and cannot sign in to the Tandem UI.";

export const noRoles = "This account has no roles yet. Ask an administrator to give it a role.";

/** Checks a user name and password and opens a session for a user who may use the UI. */
export async function signIn(
  inst: Instance,
  userName: string,
  password: string,
  headers: Headers = new Headers(),
): Promise<SignInResult> {
  const name = userName.trim();
  if (name === "") return { ok: false, error: "Enter your user name", field: "userName" };
  if (password === "") return { ok: false, error: "Enter your password", field: "password" };
  const outcome = await inst.signIns.attempt(name, password, { headers, via: "form" });
  if (!outcome.ok && outcome.reason === "throttled")
    return { ok: false, error: throttledMessage(outcome.retryAfterSeconds) };
  if (!outcome.ok) return { ok: false, error: wrongCredentials };
  const user = outcome.user;
  if (!canUseUi(user)) {
    return { ok: false, error: user.roles.has("sync_api") ? apiOnlyAccount : noRoles };
  }
  const session = await inst.sessions.create(user.sysId);
  inst.logger.info({ user: user.userName }, "signed in");
  return { ok: true, token: session.token, expiresAt: session.expiresAt };
}

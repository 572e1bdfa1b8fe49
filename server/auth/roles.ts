export const roles = ["admin", "sync_admin", "flow_designer", "sync_operator", "sync_api", "itil"] as const;
export type Role = (typeof roles)[number];

export const roleDescriptions: Record<Role, string> = {
  admin: "Everything",
  sync_admin: "Configure sync, operate queues",
  flow_designer: "Edit and publish flows",
  sync_operator: "View monitors, reprocess and skip",
  sync_api: "Only the instance-to-instance API; cannot log in to the UI",
  itil: "Work records",
};

export interface AuthUser {
  sysId: string;
  userName: string;
  name: string;
  roles: ReadonlySet<string>;
  /** How this request proved who it is. */
  via: "basic" | "session";
}

/** Parses the comma-separated roles field of a sys_user record. */
export function parseRoles(text: string | undefined): Set<string> {
  return new Set(
    (text ?? "")
      .split(",")
      .map((r) => r.trim())
      .filter((r) => r !== ""),
  );
}

/** admin holds every role; otherwise the user needs one of `anyOf`. */
export function hasRole(user: Pick<AuthUser, "roles">, ...anyOf: Role[]): boolean {
  if (user.roles.has("admin")) return true;
  return anyOf.some((r) => user.roles.has(r));
}

/** Who may use the UI: everyone but pure API users. */
export function canUseUi(user: Pick<AuthUser, "roles">): boolean {
  return user.roles.size > 0 && !(user.roles.size === 1 && user.roles.has("sync_api"));
}

/** Who may use the Table API: anyone with a role other than a pure sync_api user. */
export const canUseTableApi = canUseUi;

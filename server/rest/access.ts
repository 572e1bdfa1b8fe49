import { type AuthUser, canUseTableApi, hasRole } from "../auth/roles";
import { ApiError } from "../http/responses";

// Who may do what through the Table and Attachment APIs (SPEC 1.3):
// - a pure sync_api user may only use the instance-to-instance API, never these;
// - users and groups are administered by admins only (roles live on sys_user, so anyone who
//   could write sys_user could grant themselves admin);
// - business records are worked by itil users (and admins); everyone else reads.

const adminTables = new Set(["sys_user", "sys_user_group"]);

export function requireTableApi(user: AuthUser): void {
  if (!canUseTableApi(user)) {
    throw new ApiError(
      403,
      "User Not Authorized",
      "This user may only use the instance-to-instance sync API, not the Table API",
    );
  }
}

export function canWriteTable(user: AuthUser, table: string): boolean {
  return adminTables.has(table) ? hasRole(user, "admin") : hasRole(user, "itil");
}

export function requireWrite(user: AuthUser, table: string): void {
  if (!canWriteTable(user, table)) {
    const needed = adminTables.has(table) ? "admin" : "itil or admin";
    throw new ApiError(
      403,
      "Operation Failed",
      `User ${user.userName} may not change ${table} records (needs the ${needed} role)`,
    );
  }
}

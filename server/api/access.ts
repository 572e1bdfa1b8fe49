import { hasRole, type Role } from "../auth/roles";

// Who may do what in the UI. One place, so pages, procedures and the navigation agree.
//
// - Reading business records: everyone who may use the UI. Operators look at the record a
//   queue row is about; designers look at the fields their flows map.
// - Working incidents (create, update, journal, attachments): `itil` — the role for working
//   records — and `admin`.
// - Users and groups are identity data: only `admin` writes them. An itil user editing a
//   sys_user record could otherwise grant themselves roles.
// - Sync configuration: `sync_admin`; queues and monitors: `sync_operator` and `sync_admin`;
//   flows: `flow_designer` (operators and sync admins may look).
// `admin` holds every role (hasRole), so it is never listed.

export const readRecordRoles: Role[] = ["itil", "sync_admin", "sync_operator", "flow_designer"];

const writeRoles: Record<string, Role[]> = {
  sys_user: [],
  sys_user_group: [],
};
const defaultWriteRoles: Role[] = ["itil"];

export type UserRoles = { roles: ReadonlySet<string> };

export function canReadRecords(user: UserRoles): boolean {
  return hasRole(user, ...readRecordRoles);
}

export function canWriteTable(user: UserRoles, table: string): boolean {
  return hasRole(user, ...(writeRoles[table] ?? defaultWriteRoles));
}

export const pageRoles = {
  records: readRecordRoles,
  flows: ["flow_designer", "sync_admin", "sync_operator"],
  sync: ["sync_admin"],
  queues: ["sync_operator", "sync_admin"],
  dashboard: ["itil", "sync_admin", "sync_operator", "flow_designer"],
} satisfies Record<string, Role[]>;

export type PageArea = keyof typeof pageRoles;

export function canOpen(user: UserRoles, area: PageArea): boolean {
  return hasRole(user, ...pageRoles[area]);
}

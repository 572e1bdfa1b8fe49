import type { WriteOptions } from "../records/record-service";
import type { RecordValues } from "../records/types";
import { badRequest } from "../util/errors";
import type { RestContext } from "./context";

// ServiceNow sets a user's password by writing the `user_password` field of sys_user. Here the
// field is not part of the record at all: it is taken out of the body and handed to the user
// directory, which stores only a slow salted hash in a table the Table API cannot read.

export const passwordField = "user_password";

export interface SplitBody {
  fields: Record<string, unknown>;
  /** The new password, when the body sets one. */
  password: string | undefined;
}

export function splitPassword(table: string, body: Record<string, unknown>): SplitBody {
  if (table !== "sys_user" || !(passwordField in body)) return { fields: body, password: undefined };
  const { [passwordField]: raw, ...fields } = body;
  if (typeof raw !== "string" || raw === "") {
    throw badRequest(
      `Invalid value for field ${passwordField}`,
      "The password must be a non-empty string",
      passwordField,
    );
  }
  return { fields, password: raw };
}

/** Writes a record; for sys_user with a password, the record and the password in one transaction. */
export async function saveRecord(
  ctx: RestContext,
  table: string,
  sysId: string | null,
  body: Record<string, unknown>,
  options: WriteOptions = {},
): Promise<RecordValues> {
  const { records, users } = ctx.inst;
  const { fields, password } = splitPassword(table, body);
  if (password !== undefined) return users.saveWithPassword(sysId, fields, password, ctx.actor, options);
  // The answer goes out after the shared commit: an acknowledged write is on disk.
  return sysId === null
    ? await records.create(table, fields, ctx.actor, options)
    : await records.update(table, sysId, fields, ctx.actor, options);
}

import { randomBytes } from "node:crypto";

/** A ServiceNow-style sys_id: 32 lower-case hex characters. */
export function newSysId(): string {
  return randomBytes(16).toString("hex");
}

export function isSysId(value: string): boolean {
  return /^[0-9a-f]{32}$/.test(value);
}

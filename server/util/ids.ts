import { randomUUID } from "node:crypto";

/**
 * A ServiceNow-style sys_id: 32 lower-case hex characters. randomUUID draws from a cached
 * entropy pool (randomBytes per id showed in write-path profiles); its 122 random bits are ample.
 */
export function newSysId(): string {
  return randomUUID().replaceAll("-", "");
}

export function isSysId(value: string): boolean {
  return /^[0-9a-f]{32}$/.test(value);
}

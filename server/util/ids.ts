import { randomUUID } from "node:crypto";

/**
 * A ServiceNow-style sys_id: 32 lower-case hex characters, the first 12 the creation time in ms
 * and the other 20 random (74 random bits, from randomUUID's cached entropy pool: randomBytes per
 * id showed in write-path profiles). Time first, because every id lands in B-tree indexes (record,
 * record_clock, correlation, flow_execution): random ids put each insert on a different leaf page,
 * so every commit wrote one page per index per record and pages stayed two thirds full, while ids
 * in creation order fill the same rightmost pages (issue 14: commit cost and bytes per record).
 */
export function newSysId(now = Date.now()): string {
  return timeHex(now) + randomUUID().replaceAll("-", "").slice(12);
}

/**
 * A message id: a UUID version 7 (RFC 9562), time-ordered for the same reason as `newSysId`
 * (the queues' and idempotency keys' unique indexes).
 */
export function newMessageId(now = Date.now()): string {
  const random = randomUUID(); // xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx
  const t = timeHex(now);
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${random.slice(15)}`;
}

/** 48 bits of milliseconds as 12 hex digits (enough until the year 10889). */
function timeHex(ms: number): string {
  return Math.floor(ms).toString(16).padStart(12, "0").slice(-12);
}

export function isSysId(value: string): boolean {
  return /^[0-9a-f]{32}$/.test(value);
}

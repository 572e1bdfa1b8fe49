import { type DbState, dbState, describeChange } from "./db-state";
import type { LoadClient, RawRequest, RawResponse } from "./http-load";

// Runs generated requests against a real instance and checks the three rules of the fuzz
// suite: no 5xx (nor a dropped connection), no request slower than the limit, and no state
// change from a refused batch. State is compared per batch, not per request (that would be
// far too slow); a batch that changed state is replayed in halves to find the request that did.

export interface Case {
  kind: string;
  mayChange: boolean;
  build: () => RawRequest;
}

export interface Finding {
  kind: string;
  request: string;
  problem: string;
}

export interface PhaseStats {
  requests: number;
  statuses: Map<number, number>;
  slowestMs: number;
  slowestKind: string;
  findings: Finding[];
  /** Batches whose change a replay did not reproduce: background work, not the requests. */
  backgroundChanges: number;
  /** What those background changes touched, for the printed summary. */
  backgroundTables: Set<string>;
  /** Requests over the limit in a batch that were sent again alone. */
  slowRetried: number;
}

export function emptyStats(): PhaseStats {
  return {
    requests: 0,
    statuses: new Map(),
    slowestMs: 0,
    slowestKind: "",
    slowRetried: 0,
    findings: [],
    backgroundChanges: 0,
    backgroundTables: new Set(),
  };
}

const describeRequest = (r: RawRequest) =>
  `${r.method} ${r.path.slice(0, 200)} ${typeof r.body === "string" ? r.body.slice(0, 200) : r.body ? `<${r.body.length} bytes>` : ""}`;

/** Waits until the database stops changing (workers done), up to `timeoutMs`. */
export async function settle(dbFile: string, quietMs = 1000, timeoutMs = 30_000): Promise<DbState> {
  const deadline = Date.now() + timeoutMs;
  let last = dbState(dbFile);
  let since = Date.now();
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    const now = dbState(dbFile);
    if (now.hash !== last.hash) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return now;
  }
  return last;
}

export interface RunOptions {
  client: LoadClient;
  dbFile: string;
  maxMs: number;
  batchSize: number;
  stats: PhaseStats;
}

/**
 * Counts the answers and notes the problems. Returns the requests over the time limit: on a
 * machine this loaded, a request can wait behind its neighbours, so each is sent again alone and
 * fails only if it is slow by itself too (see confirmSlow).
 */
function record(
  stats: PhaseStats,
  cases: readonly Case[],
  sent: RawRequest[],
  results: RawResponse[],
  maxMs: number,
): Array<{ c: Case; ms: number }> {
  const slow: Array<{ c: Case; ms: number }> = [];
  results.forEach((r, i) => {
    const c = cases[i] as Case;
    stats.requests += 1;
    stats.statuses.set(r.status, (stats.statuses.get(r.status) ?? 0) + 1);
    if (r.ms > stats.slowestMs) {
      stats.slowestMs = r.ms;
      stats.slowestKind = c.kind;
    }
    const request = describeRequest(sent[i] as RawRequest);
    if (r.status >= 500 || r.status === 0)
      stats.findings.push({
        kind: c.kind,
        request,
        problem: `answered ${r.status || "no response"}: ${r.snippet}`,
      });
    if (r.ms > maxMs) slow.push({ c, ms: r.ms });
  });
  return slow;
}

async function confirmSlow(o: RunOptions, slow: Array<{ c: Case; ms: number }>): Promise<void> {
  for (const { c, ms } of slow) {
    const request = c.build();
    const alone = await o.client.one(request);
    o.stats.slowRetried += 1;
    if (alone.ms > o.maxMs)
      o.stats.findings.push({
        kind: c.kind,
        request: describeRequest(request),
        problem: `took ${Math.round(ms)} ms in its batch and ${Math.round(alone.ms)} ms alone`,
      });
  }
}

async function send(client: LoadClient, cases: readonly Case[]) {
  const sent = cases.map((c) => c.build());
  const results = await client.all(sent, (r) => r);
  return { sent, results };
}

/** Sends cases that must change nothing, batch by batch, comparing state around each batch. */
export async function runRefused(cases: readonly Case[], o: RunOptions): Promise<void> {
  for (let start = 0; start < cases.length; start += o.batchSize) {
    const batch = cases.slice(start, start + o.batchSize);
    const before = dbState(o.dbFile);
    const { sent, results } = await send(o.client, batch);
    await confirmSlow(o, record(o.stats, batch, sent, results, o.maxMs));
    const after = dbState(o.dbFile);
    if (after.hash === before.hash) continue;
    const culprits = await bisect(batch, o);
    if (culprits.length === 0) {
      o.stats.backgroundChanges += 1;
      o.stats.backgroundTables.add(describeChange(before, after));
    }
    for (const { c, change, request, status } of culprits)
      o.stats.findings.push({
        kind: c.kind,
        request,
        problem: `refused with ${status} but changed state: ${change}`,
      });
  }
}

async function bisect(
  cases: readonly Case[],
  o: RunOptions,
): Promise<Array<{ c: Case; change: string; request: string; status: number }>> {
  const before = await settle(o.dbFile);
  const { sent, results } = await send(o.client, cases);
  const after = dbState(o.dbFile);
  if (after.hash === before.hash) return [];
  if (cases.length === 1) {
    const c = cases[0] as Case;
    return [
      {
        c,
        change: describeChange(before, after),
        request: describeRequest(sent[0] as RawRequest),
        status: results[0]?.status ?? 0,
      },
    ];
  }
  const half = Math.ceil(cases.length / 2);
  return [...(await bisect(cases.slice(0, half), o)), ...(await bisect(cases.slice(half), o))];
}

/** Sends cases that may change state: only the status and time rules apply. */
export async function runAccepted(cases: readonly Case[], o: RunOptions): Promise<void> {
  for (let start = 0; start < cases.length; start += o.batchSize) {
    const batch = cases.slice(start, start + o.batchSize);
    const { sent, results } = await send(o.client, batch);
    await confirmSlow(o, record(o.stats, batch, sent, results, o.maxMs));
  }
}

export function statusSummary(stats: PhaseStats): string {
  return [...stats.statuses.entries()]
    .sort(([a], [b]) => a - b)
    .map(([status, n]) => `${status}×${n}`)
    .join(" ");
}

/** The findings grouped by kind and problem (numbers and ids blurred), most frequent first. */
export function findingReport(findings: readonly Finding[], examples = 12): string {
  if (findings.length === 0) return "";
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = `${f.kind}: ${f.problem.slice(0, 80).replace(/\d+/g, "N")}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  return [...groups.entries()]
    .sort(([, a], [, b]) => b.length - a.length)
    .slice(0, examples)
    .map(
      ([key, list]) =>
        `${list.length}× ${key}\n    e.g. ${list[0]?.problem.slice(0, 300)}\n    ${list[0]?.request}`,
    )
    .join("\n");
}

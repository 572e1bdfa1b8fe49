import { z } from "zod";
import { activateRemotesInError, sleep, tableCall } from "./client";
import type { Cluster, NodeName } from "./cluster";
import type { Ledger } from "./ledger";

// The outside view after a trial: waits for quiescence (every queue drained, remotes in error
// validated and activated as an operator would), then reads every instance through the Table API
// and its database (read-only) and reports what the delivery guarantees (SPEC 3.9) forbid.

export interface CheckReport {
  lost: string[];
  doubled: string[];
  diverged: string[];
  outOfOrder: string[];
  /** Rows left in ready, processing or error after quiescence (a stranded row is a failure). */
  stuck: string[];
  phantoms: string[];
  /** Anything else that is wrong (the system never went quiet, the Table API disagrees with the database). */
  problems: string[];
  /** Milliseconds from the end of the faults until everything was processed. */
  recoveryMs: number;
  activations: number;
}

export function failures(report: CheckReport): string[] {
  const parts: Array<[string, string[]]> = [
    ["lost", report.lost],
    ["doubled", report.doubled],
    ["diverged", report.diverged],
    ["out of order", report.outOfOrder],
    ["stuck", report.stuck],
    ["phantom", report.phantoms],
    ["problem", report.problems],
  ];
  return parts.flatMap(([label, items]) => items.slice(0, 5).map((i) => `${label}: ${i}`));
}

export interface CheckOptions {
  /** Nodes that must hold every record alpha committed. */
  receivers: NodeName[];
  /** Fields that travel both ways or one way and must agree after quiescence. */
  fields?: string[];
  /** When the faults ended (recovery time is measured from here). */
  faultsEndedAt: number;
  quiesceTimeoutMs?: number;
}

interface RecordRow {
  sys_id: string;
  tag: string;
  data: string;
}

const queueRow = z.object({ status: z.string(), n: z.number() });

export async function check(cluster: Cluster, ledger: Ledger, options: CheckOptions): Promise<CheckReport> {
  const report: CheckReport = {
    lost: [],
    doubled: [],
    diverged: [],
    outOfOrder: [],
    stuck: [],
    phantoms: [],
    problems: [],
    recoveryMs: 0,
    activations: 0,
  };
  const nodes: NodeName[] = ["alpha", ...options.receivers];
  const quiet = await quiesce(cluster, nodes, options.quiesceTimeoutMs ?? 120_000);
  report.activations = quiet.activations;
  report.recoveryMs = Math.max(0, quiet.at - options.faultsEndedAt);
  if (!quiet.ok)
    report.problems.push(`not quiescent after ${options.quiesceTimeoutMs ?? 120_000} ms: ${quiet.why}`);

  const records = async (name: NodeName) =>
    cluster.query<RecordRow>(
      name,
      "SELECT sys_id, json_extract(data, '$.short_description') AS tag, data FROM record WHERE table_name = 'incident' AND json_extract(data, '$.short_description') LIKE ? || '%'",
      ledger.prefix,
    );
  const byNode = new Map<NodeName, RecordRow[]>();
  for (const name of nodes) byNode.set(name, await records(name));

  // The Table API must show what the database holds.
  for (const name of nodes) {
    const res = await tableCall(
      cluster.node(name),
      "GET",
      `/api/now/table/incident?sysparm_query=short_descriptionSTARTSWITH${encodeURIComponent(ledger.prefix)}&sysparm_fields=sys_id&sysparm_limit=100000`,
    );
    const parsed = z
      .object({ result: z.array(z.object({ sys_id: z.string() })) })
      .safeParse("json" in res ? res.json : null);
    const inDb = byNode.get(name)?.length ?? 0;
    if (!parsed.success)
      report.problems.push(
        `${name}: Table API list failed (${res.status}${"error" in res ? `: ${res.error}` : ""})`,
      );
    else if (parsed.data.result.length !== inDb)
      report.problems.push(
        `${name}: Table API lists ${parsed.data.result.length} records, the database holds ${inDb}`,
      );
  }

  const alphaRows = byNode.get("alpha") ?? [];
  const alphaTags = new Map(alphaRows.map((r) => [r.tag, r]));
  for (const c of ledger.creates.values()) {
    if (c.outcome === "acked" && !alphaTags.has(c.tag)) report.lost.push(`alpha lost acknowledged ${c.tag}`);
    if (c.outcome === "refused" && alphaTags.has(c.tag)) report.phantoms.push(`alpha holds refused ${c.tag}`);
  }
  for (const name of nodes) {
    const rows = byNode.get(name) ?? [];
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(r.tag, (counts.get(r.tag) ?? 0) + 1);
    for (const [tag, n] of counts) {
      if (n > 1) report.doubled.push(`${name} holds ${tag} ${n} times`);
      if (!ledger.creates.has(tag)) report.phantoms.push(`${name} holds ${tag}, which no one wrote`);
    }
    if (name === "alpha") continue;
    for (const tag of alphaTags.keys()) if (!counts.has(tag)) report.lost.push(`${name} never got ${tag}`);
  }

  await checkDoubledEffects(cluster, nodes, report);
  await checkFields(cluster, ledger, byNode, options, report);
  for (const name of nodes) await checkLaneOrder(cluster, name, report);
  for (const name of nodes) {
    for (const queue of ["outbound_queue", "inbound_queue"]) {
      const rows = await cluster.query<{ status: string; last_error: string | null; n: number }>(
        name,
        `SELECT status, max(last_error) AS last_error, count(*) AS n FROM ${queue} WHERE status IN ('ready', 'processing', 'error') GROUP BY status`,
      );
      for (const r of rows) report.stuck.push(`${name} ${queue}: ${r.n} ${r.status} (${r.last_error ?? ""})`);
    }
  }
  return report;
}

/** Journal entries, attachments and correlations each exist once. */
async function checkDoubledEffects(cluster: Cluster, nodes: NodeName[], report: CheckReport): Promise<void> {
  for (const name of nodes) {
    const journal = await cluster.query<{ record_sys_id: string; value: string; n: number }>(
      name,
      "SELECT record_sys_id, value, count(*) AS n FROM journal_entry GROUP BY record_sys_id, element, value, created_on HAVING n > 1",
    );
    for (const j of journal)
      report.doubled.push(`${name} journal entry "${j.value}" on ${j.record_sys_id} ×${j.n}`);
    const files = await cluster.query<{ table_sys_id: string; file_name: string; n: number }>(
      name,
      "SELECT table_sys_id, file_name, count(*) AS n FROM attachment GROUP BY table_sys_id, file_name, hash HAVING n > 1",
    );
    for (const f of files)
      report.doubled.push(`${name} attachment ${f.file_name} on ${f.table_sys_id} ×${f.n}`);
    const correlations = await cluster.query<{ record_sys_id: string; n: number }>(
      name,
      "SELECT record_sys_id, count(*) AS n FROM correlation WHERE state = 'active' GROUP BY record_sys_id, remote_system_id HAVING n > 1",
    );
    for (const c of correlations) report.doubled.push(`${name} correlation of ${c.record_sys_id} ×${c.n}`);
  }
}

/** Fields agree across the sides, and end with a value the trial may legitimately have left. */
async function checkFields(
  cluster: Cluster,
  ledger: Ledger,
  byNode: Map<NodeName, RecordRow[]>,
  options: CheckOptions,
  report: CheckReport,
): Promise<void> {
  const fields = options.fields ?? ["short_description", "description", "state", "impact", "urgency"];
  const parse = (r: RecordRow) => JSON.parse(r.data) as Record<string, string>;
  const alpha = new Map((byNode.get("alpha") ?? []).map((r) => [r.tag, r]));
  const journalOf = async (name: NodeName, sysId: string) =>
    (
      await cluster.query<{ v: string }>(
        name,
        "SELECT element || ':' || value AS v FROM journal_entry WHERE record_sys_id = ? ORDER BY v",
        sysId,
      )
    )
      .map((j) => j.v)
      .join("|");
  for (const name of options.receivers) {
    for (const row of byNode.get(name) ?? []) {
      const mine = alpha.get(row.tag);
      if (!mine) continue;
      const a = parse(mine);
      const b = parse(row);
      for (const f of fields) {
        if ((a[f] ?? "") !== (b[f] ?? ""))
          report.diverged.push(`${row.tag}.${f}: alpha "${a[f] ?? ""}" vs ${name} "${b[f] ?? ""}"`);
      }
      const [ja, jb] = [await journalOf("alpha", mine.sys_id), await journalOf(name, row.sys_id)];
      if (ja !== jb) report.diverged.push(`${row.tag} journal: alpha [${ja}] vs ${name} [${jb}]`);
    }
  }
  for (const [tag, row] of alpha) {
    const a = parse(row);
    for (const f of fields) {
      const allowed = ledger.finalCandidates(tag, f);
      if (allowed && !allowed.has(a[f] ?? ""))
        report.diverged.push(`${tag}.${f} ended "${a[f] ?? ""}", not one of [${[...allowed].join(", ")}]`);
    }
  }
}

/** Per lane: rows were received in lane order and processed in lane order, on every queue. */
async function checkLaneOrder(cluster: Cluster, name: NodeName, report: CheckReport): Promise<void> {
  const inbound = await cluster.query<{
    lane_key: string;
    lane_seq: number;
    status: string;
    finished_at: number | null;
  }>(name, "SELECT lane_key, lane_seq, status, finished_at FROM inbound_queue ORDER BY lane_key, sequence");
  const outbound = await cluster.query<{
    lane_key: string;
    lane_seq: number;
    status: string;
    finished_at: number | null;
  }>(name, "SELECT lane_key, lane_seq, status, finished_at FROM outbound_queue ORDER BY lane_key, lane_seq");
  const walk = (queue: string, rows: typeof inbound, receivedOrder: boolean) => {
    let lane = "";
    let lastSeq = -Infinity;
    let lastFinished = -Infinity;
    for (const r of rows) {
      if (r.lane_key !== lane) {
        lane = r.lane_key;
        lastSeq = -Infinity;
        lastFinished = -Infinity;
      }
      if (receivedOrder && r.lane_seq <= lastSeq)
        report.outOfOrder.push(`${name} ${queue} lane ${lane}: seq ${r.lane_seq} received after ${lastSeq}`);
      lastSeq = r.lane_seq;
      if (r.status !== "processed" || r.finished_at === null) continue;
      if (r.finished_at < lastFinished)
        report.outOfOrder.push(
          `${name} ${queue} lane ${lane}: seq ${r.lane_seq} processed before an earlier row`,
        );
      lastFinished = r.finished_at;
    }
  };
  walk("inbound", inbound, true);
  walk("outbound", outbound, false);
}

/**
 * Waits until no running node has a ready or processing row and the counts held still for a
 * moment; a remote in error is validated and activated (what an operator does after an outage).
 */
export async function quiesce(
  cluster: Cluster,
  nodes: NodeName[],
  timeoutMs: number,
): Promise<{ ok: boolean; at: number; activations: number; why: string }> {
  const deadline = Date.now() + timeoutMs;
  let activations = 0;
  let lastSignature = "";
  let stableSince = 0;
  let why = "";
  while (Date.now() < deadline) {
    const parts: string[] = [];
    let busy = false;
    for (const name of nodes) {
      for (const queue of ["outbound_queue", "inbound_queue"]) {
        const rows = z
          .array(queueRow)
          .parse(await cluster.query(name, `SELECT status, count(*) AS n FROM ${queue} GROUP BY status`));
        for (const r of rows) {
          parts.push(`${name}.${queue}.${r.status}=${r.n}`);
          if (r.status === "ready" || r.status === "processing") busy = true;
        }
      }
      activations += await activateRemotesInError(cluster, name);
    }
    const signature = parts.join(" ");
    why = signature;
    if (signature !== lastSignature) {
      lastSignature = signature;
      stableSince = Date.now();
    } else if (!busy && Date.now() - stableSince >= 1500) {
      return { ok: true, at: stableSince, activations, why };
    } else if (busy && Date.now() - stableSince >= 20_000) {
      // Nothing moved for 20 s with rows still waiting (behind a row in error, say): stalled.
      return { ok: false, at: Date.now(), activations, why: `stalled: ${signature}` };
    }
    await sleep(250);
  }
  return { ok: false, at: Date.now(), activations, why };
}

import { z } from "zod";
import { adminAuth, type Cluster, type ClusterNode, type NodeName } from "./cluster";
import type { Ledger, WriteOutcome } from "./ledger";

// How trials talk to the instances: the Table API for writes (as a client would) and tRPC for
// operator actions (Validate and Activate, reprocess), both over real HTTP as admin.

const createdSchema = z.object({ result: z.object({ sys_id: z.string() }) });

export async function tableCall(
  node: ClusterNode,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown } | { status: "unknown"; error: string }> {
  try {
    const res = await fetch(`${node.url}${path}`, {
      method,
      headers: { authorization: adminAuth, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as unknown) : null };
  } catch (error) {
    return { status: "unknown", error: String(error) };
  }
}

export function outcomeOf(status: number | "unknown"): WriteOutcome {
  if (status === "unknown") return "unknown";
  return status >= 200 && status < 300 ? "acked" : "refused";
}

export async function trpc<T>(node: ClusterNode, path: string, input: unknown): Promise<T> {
  const res = await fetch(`${node.url}/api/trpc/${path}`, {
    method: "POST",
    headers: { authorization: adminAuth, "content-type": "application/json" },
    body: JSON.stringify(input),
    signal: AbortSignal.timeout(60_000),
  });
  const json = (await res.json()) as { result?: { data: T }; error?: { message: string } };
  if (!res.ok || !json.result)
    throw new Error(`tRPC ${path} failed: ${res.status} ${json.error?.message ?? ""}`);
  return json.result.data;
}

export async function hardwareGroup(node: ClusterNode): Promise<string> {
  const res = await tableCall(node, "GET", "/api/now/table/sys_user_group?sysparm_query=name=Hardware");
  const parsed = z
    .object({ result: z.array(z.object({ sys_id: z.string() })) })
    .safeParse("json" in res ? res.json : null);
  const id = parsed.success ? parsed.data.result[0]?.sys_id : undefined;
  if (!id) throw new Error("No Hardware group");
  return id;
}

export interface BurstOptions {
  count: number;
  concurrency?: number;
  /** Called after each answered or failed write; a trial kills or pauses from here. */
  after?: (done: { index: number; outcome: WriteOutcome; acked: number }) => Promise<void> | void;
  /** Extra fields of each incident. */
  fields?: (index: number) => Record<string, string>;
  stopWhen?: () => boolean;
  /** First index (count is then the end): a second burst of the same trial continues the tags. */
  startAt?: number;
}

/** Creates `count` Hardware incidents on alpha with several writers, recording each in the ledger. */
export async function burst(cluster: Cluster, ledger: Ledger, options: BurstOptions): Promise<void> {
  const alpha = cluster.nodes.alpha;
  const group = await hardwareGroup(alpha);
  let next = options.startAt ?? 0;
  let acked = 0;
  const writer = async () => {
    while (next < options.count && !options.stopWhen?.()) {
      const index = next++;
      const tag = ledger.tagFor(index);
      const res = await tableCall(alpha, "POST", "/api/now/table/incident", {
        short_description: tag,
        assignment_group: group,
        ...options.fields?.(index),
      });
      const outcome = outcomeOf(res.status);
      const parsed = "json" in res ? createdSchema.safeParse(res.json) : null;
      ledger.create({
        tag,
        node: "alpha",
        outcome,
        ...(parsed?.success ? { sysId: parsed.data.result.sys_id } : {}),
      });
      if (outcome === "acked") acked += 1;
      await options.after?.({ index, outcome, acked });
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 8 }, writer));
}

export interface RemoteRow {
  id: string;
  name: string;
  outbound_state: string;
  inbound_state: string;
  state_message: string;
}

export async function remotes(cluster: Cluster, name: NodeName): Promise<RemoteRow[]> {
  return cluster.query<RemoteRow>(
    name,
    "SELECT id, name, outbound_state, inbound_state, state_message FROM remote_system ORDER BY name",
  );
}

/** Validate and Activate (tRPC, as an operator would) every remote of `name` that went to error. */
export async function activateRemotesInError(cluster: Cluster, name: NodeName): Promise<number> {
  const node = cluster.node(name);
  if (!node.inst) return 0;
  let activated = 0;
  for (const r of await remotes(cluster, name)) {
    if (r.outbound_state !== "error" && r.inbound_state !== "error") continue;
    const outcome = await trpc<{ ok: boolean }>(node, "syncConfig.validateAndActivate", { id: r.id }).catch(
      () => ({ ok: false }),
    );
    if (outcome.ok) activated += 1;
  }
  return activated;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

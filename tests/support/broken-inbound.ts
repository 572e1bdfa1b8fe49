import { createHash } from "node:crypto";
import { basic } from "./instances";
import { type PairMember, query, trpc } from "./pair";

// Set-up for "a row failed at Update Record" (issue 15): beta's inbound flow gets a published
// version whose update-path Map Fields sets urgency to "Urgent" — not a choice of urgency — so
// every update of a synced incident fails at Update Record with an invalid choice value.

interface CanvasNode {
  id: string;
  config: Record<string, unknown>;
}

export async function trpcQuery<T>(member: PairMember, path: string, input: unknown): Promise<T> {
  const res = await fetch(
    `${member.inst.url}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`,
    { headers: { authorization: basic("admin", "admin") } },
  );
  const json = (await res.json()) as { result?: { data: T }; error?: { message: string } };
  if (!res.ok || !json.result)
    throw new Error(`tRPC ${path} failed: ${res.status} ${json.error?.message ?? ""}`);
  return json.result.data;
}

/** The id of the flow bound as beta's inbound flow (the demo's clone of the inbound template). */
export function inboundFlowId(member: PairMember): string {
  const row = query<{ flow_id: string }>(
    member,
    "SELECT flow_id FROM flow_binding WHERE direction = 'inbound' AND active = 1 LIMIT 1",
  )[0];
  if (!row) throw new Error("No inbound flow bound");
  return row.flow_id;
}

/** Publishes the broken version; returns the flow id. The draft then equals the broken version. */
export async function breakInboundUpdate(member: PairMember): Promise<string> {
  const id = inboundFlowId(member);
  const flow = await trpcQuery<{ draft: { nodes: CanvasNode[] } & Record<string, unknown> }>(
    member,
    "flows.get",
    {
      id,
    },
  );
  const node = flow.draft.nodes.find((n) => n.id === "map_update");
  if (!node) throw new Error("The inbound flow has no map_update node");
  node.config = { ...node.config, rows: [{ field: "urgency", value: { kind: "literal", value: "Urgent" } }] };
  await trpc(member, "flows.saveDraft", { id, graph: flow.draft });
  await trpc(member, "flows.publish", { id });
  return id;
}

/** Row counts and a hash of every table's content, to prove that something wrote nothing. */
export function databaseFingerprint(member: PairMember): Record<string, { rows: number; hash: string }> {
  const tables = query<{ name: string }>(
    member,
    "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
  );
  const out: Record<string, { rows: number; hash: string }> = {};
  for (const { name } of tables) {
    // Every column of every row; sorted, so the order rows come back in does not matter.
    const rows = query<Record<string, unknown>>(member, `SELECT * FROM "${name}"`).map((r) =>
      JSON.stringify(r),
    );
    rows.sort();
    out[name] = { rows: rows.length, hash: createHash("sha256").update(rows.join("\n")).digest("hex") };
  }
  return out;
}

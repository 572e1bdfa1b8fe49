import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { FlowEditor } from "@/components/editor/flow-editor";
import type { CanvasGraph } from "@/flows";
import { pageRoles } from "@/server/api/access";
import { requireUiUser } from "@/server/api/session";
import { hasRole } from "@/server/auth/roles";
import { instance } from "@/server/instance/instance";
import { flowFigures } from "@/server/stats/flow-figures";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Flow designer" };

/** `?try=inbound:12` opens the draft beside that queue row ("Try with draft", issue 15). */
function tryRowOf(value: string | string[] | undefined) {
  const m = typeof value === "string" ? /^(outbound|inbound):(\d+)$/.exec(value) : null;
  return m ? { queue: m[1] as "outbound" | "inbound", id: Number(m[2]) } : undefined;
}

export default async function FlowPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await params;
  const tryRow = tryRowOf((await searchParams).try);
  const user = await requireUiUser({ path: `/flows/${id}`, anyOf: pageRoles.flows });
  const inst = await instance();
  const flow = await inst.sync.flows.findById(id);
  if (!flow) notFound();
  // The live canvas's first figures come with the page (one aggregate read), not after hydration.
  const figures =
    flow.latestVersion === null
      ? undefined
      : await flowFigures({ storage: inst.storage, flows: inst.sync.flows }, { flowId: id, window: "24h" });
  return (
    <FlowEditor
      key={`${flow.id}@${flow.updatedAt}`}
      flowId={flow.id}
      graph={flow.draft as CanvasGraph}
      latestVersion={flow.latestVersion}
      initialFigures={figures}
      canEdit={hasRole(user, "flow_designer", "sync_admin")}
      tryRow={tryRow}
    />
  );
}

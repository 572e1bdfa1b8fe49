import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { FlowEditor } from "@/components/editor/flow-editor";
import type { CanvasGraph } from "@/flows";
import { pageRoles } from "@/server/api/access";
import { requireUiUser } from "@/server/api/session";
import { hasRole } from "@/server/auth/roles";
import { instance } from "@/server/instance/instance";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Flow designer" };

export default async function FlowPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUiUser({ path: `/flows/${id}`, anyOf: pageRoles.flows });
  const flow = (await instance()).sync.flows.findById(id);
  if (!flow) notFound();
  return (
    <FlowEditor
      key={`${flow.id}@${flow.updatedAt}`}
      flowId={flow.id}
      graph={flow.draft as CanvasGraph}
      latestVersion={flow.latestVersion}
      canEdit={hasRole(user, "flow_designer", "sync_admin")}
    />
  );
}

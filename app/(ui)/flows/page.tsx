import type { Metadata } from "next";
import { FlowList } from "@/components/editor/flow-list";
import { pageRoles } from "@/server/api/access";
import { requireUiUser } from "@/server/api/session";
import { hasRole } from "@/server/auth/roles";

export const metadata: Metadata = { title: "Flows" };
export const dynamic = "force-dynamic";

export default async function Page() {
  const user = await requireUiUser({ path: "/flows", anyOf: pageRoles.flows });
  return <FlowList canEdit={hasRole(user, "flow_designer", "sync_admin")} />;
}

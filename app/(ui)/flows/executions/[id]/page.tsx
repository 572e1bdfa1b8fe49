import type { Metadata } from "next";
import { ExecutionView } from "@/components/editor/execution-view";
import { pageRoles } from "@/server/api/access";
import { requireUiUser } from "@/server/api/session";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Flow execution" };

export default async function ExecutionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireUiUser({ path: `/flows/executions/${id}`, anyOf: pageRoles.flows });
  return <ExecutionView id={id} />;
}

import type { Metadata } from "next";
import { ExecutionView } from "@/components/executions/execution-view";
import { pageRoles } from "@/server/api/access";
import { requireUiUser } from "@/server/api/session";

export const metadata: Metadata = { title: "Flow execution" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireUiUser({ path: `/executions/${id}`, anyOf: pageRoles.flows });
  return <ExecutionView id={id} />;
}

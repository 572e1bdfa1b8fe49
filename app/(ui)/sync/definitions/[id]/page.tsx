import type { Metadata } from "next";
import { DefinitionView } from "@/components/config/definition-view";
import { pageRoles } from "@/server/api/access";
import { requireUiUser } from "@/server/api/session";

export const metadata: Metadata = { title: "Process sync definition" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireUiUser({ path: `/sync/definitions/${id}`, anyOf: pageRoles.sync });
  return <DefinitionView id={id} />;
}

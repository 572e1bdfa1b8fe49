import type { Metadata } from "next";
import { RemotePage } from "@/components/config/remote-page";
import { pageRoles } from "@/server/api/access";
import { requireUiUser } from "@/server/api/session";

export const metadata: Metadata = { title: "Remote system" };

export default async function Page({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ definition?: string }>;
}) {
  const { id } = await params;
  const { definition } = await searchParams;
  await requireUiUser({ path: `/sync/remotes/${id}`, anyOf: pageRoles.sync });
  return <RemotePage id={id} definitionId={definition ?? null} />;
}

import type { Metadata } from "next";
import { JobView } from "@/components/initial-sync/job-view";
import { pageRoles } from "@/server/api/access";
import { requireUiUser } from "@/server/api/session";

export const metadata: Metadata = { title: "Initial sync" };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireUiUser({ path: `/sync/initial-sync/${id}`, anyOf: pageRoles.sync });
  return <JobView id={id} />;
}

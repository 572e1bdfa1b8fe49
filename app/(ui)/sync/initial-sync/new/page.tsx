import type { Metadata } from "next";
import { NewJobForm } from "@/components/initial-sync/new-job-form";
import { PageHeader } from "@/components/ui/page-header";
import { pageRoles } from "@/server/api/access";
import { requireUiUser } from "@/server/api/session";

export const metadata: Metadata = { title: "New initial sync" };

export default async function Page({
  searchParams,
}: {
  searchParams: Promise<{ definition?: string; remote?: string; mode?: string }>;
}) {
  const { definition, remote, mode } = await searchParams;
  await requireUiUser({ path: "/sync/initial-sync/new", anyOf: pageRoles.sync });
  return (
    <>
      <PageHeader
        title="Bring existing records across"
        subtitle="The records go through the capture's payload and outbound flow, in batches that never hold up live changes."
      />
      <NewJobForm definition={definition} remote={remote} mode={mode === "create" ? "create" : "link"} />
    </>
  );
}

import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { pageRoles } from "@/server/api/access";
import { requireUiUser } from "@/server/api/session";

export const metadata: Metadata = { title: "Sync configuration" };

export default async function Page() {
  await requireUiUser({ path: "/sync", anyOf: pageRoles.sync });
  return (
    <>
      <PageHeader
        title="Sync configuration"
        subtitle="Process sync definitions, remote systems, capture definitions and process events of this instance."
      />
      <div className="p-6">
        <EmptyState testId="sync-empty" title="No process sync definitions yet">
          Each definition appears here with its remote systems, the changes it captures and whether it is
          active.
        </EmptyState>
      </div>
    </>
  );
}

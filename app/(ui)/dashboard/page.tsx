import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { pageRoles } from "@/server/api/access";
import { requireUiUser } from "@/server/api/session";

export const metadata: Metadata = { title: "Dashboard" };

export default async function Page() {
  await requireUiUser({ path: "/dashboard", anyOf: pageRoles.dashboard });
  return (
    <>
      <PageHeader title="Dashboard" subtitle="How process sync is doing on this instance." />
      <div className="p-6">
        <EmptyState testId="dashboard-empty" title="No sync activity yet">
          Once this instance exchanges records with a remote system, its backlog, errors and throughput over
          the last 24 hours appear here.
        </EmptyState>
      </div>
    </>
  );
}

import type { Metadata } from "next";
import { DashboardView } from "@/components/dashboard/dashboard-view";
import { PageHeader } from "@/components/ui/page-header";
import { canOpen, pageRoles } from "@/server/api/access";
import { requireUiUser } from "@/server/api/session";

export const metadata: Metadata = { title: "Dashboard" };

export default async function Page() {
  const user = await requireUiUser({ path: "/dashboard", anyOf: pageRoles.dashboard });
  return (
    <>
      <PageHeader title="Dashboard" subtitle="How process sync is doing on this instance, live." />
      <DashboardView canOpenQueues={canOpen(user, "queues")} canAdminSync={canOpen(user, "sync")} />
    </>
  );
}

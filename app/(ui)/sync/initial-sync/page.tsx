import type { Metadata } from "next";
import Link from "next/link";
import { JobList } from "@/components/initial-sync/job-list";
import { buttonClass } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { pageRoles } from "@/server/api/access";
import { requireUiUser } from "@/server/api/session";

export const metadata: Metadata = { title: "Initial sync" };

export default async function Page() {
  await requireUiUser({ path: "/sync/initial-sync", anyOf: pageRoles.sync });
  return (
    <>
      <PageHeader
        title="Initial sync"
        subtitle="Existing records brought across a pair, through the same path as live changes."
        actions={
          <Link className={buttonClass("primary")} href="/sync/initial-sync/new">
            New initial sync
          </Link>
        }
      />
      <JobList />
    </>
  );
}

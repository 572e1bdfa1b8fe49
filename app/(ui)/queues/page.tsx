import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { pageRoles } from "@/server/api/access";
import { requireUiUser } from "@/server/api/session";

export const metadata: Metadata = { title: "Queues" };

export default async function Page() {
  await requireUiUser({ path: "/queues", anyOf: pageRoles.queues });
  return (
    <>
      <PageHeader
        title="Queues"
        subtitle="Messages waiting to go to remote systems, and messages received from them."
      />
      <div className="p-6">
        <EmptyState testId="queues-empty" title="The outbound and inbound queues are empty">
          Captured changes and received messages appear here as they arrive, with their status, errors and
          retry history.
        </EmptyState>
      </div>
    </>
  );
}

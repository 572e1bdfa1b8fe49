import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { pageRoles } from "@/server/api/access";
import { requireUiUser } from "@/server/api/session";

export const metadata: Metadata = { title: "Flows" };

export default async function Page() {
  await requireUiUser({ path: "/flows", anyOf: pageRoles.flows });
  return (
    <>
      <PageHeader
        title="Flows"
        subtitle="Outbound and inbound flows that carry changes between this instance and its remote systems."
      />
      <div className="p-6">
        <EmptyState testId="flows-empty" title="No flows yet">
          Flows appear here once they are created or cloned from a template, with their version, status and
          the process sync definition they belong to.
        </EmptyState>
      </div>
    </>
  );
}

import type { Metadata } from "next";
import { Suspense } from "react";
import { QueueMonitor } from "@/components/monitor/queue-monitor";
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
        subtitle="Messages waiting to go to remote systems, and messages received from them — live."
      />
      {/* useSearchParams needs a Suspense boundary in the App Router. */}
      <Suspense>
        <QueueMonitor />
      </Suspense>
    </>
  );
}

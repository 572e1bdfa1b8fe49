import type { Metadata } from "next";
import { SyncHome } from "@/components/config/sync-home";
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
        subtitle="Pairing, process sync definitions and remote systems of this instance."
      />
      <SyncHome />
    </>
  );
}

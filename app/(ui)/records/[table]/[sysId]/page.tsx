import type { Metadata } from "next";
import { forbidden, notFound } from "next/navigation";
import { RecordForm } from "@/components/records/form/record-form";
import { pageRoles } from "@/server/api/access";
import { tableViewFor } from "@/server/api/record-views";
import { requireUiUser } from "@/server/api/session";
import { instance } from "@/server/instance/instance";

export const dynamic = "force-dynamic";

type Params = Promise<{ table: string; sysId: string }>;

const sysIdPattern = /^[0-9a-f]{32}$/;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { table, sysId } = await params;
  const inst = await instance();
  const def = inst.registry.get(table);
  if (!def) return { title: "Not found" };
  const record = sysIdPattern.test(sysId) ? await inst.records.get(table, sysId) : null;
  const name =
    sysId === "new" ? `New ${def.label.toLowerCase()}` : `${def.label} ${record?.[def.displayField] ?? ""}`;
  return { title: `${name} · ${inst.config.instance}` };
}

/** The form of one record, or of a new one at /records/<table>/new. */
export default async function RecordPage({ params }: { params: Params }) {
  const { table, sysId } = await params;
  const user = await requireUiUser({ path: `/records/${table}/${sysId}`, anyOf: pageRoles.records });
  const inst = await instance();
  const view = tableViewFor(inst.records, user, table);
  if (!view) notFound();
  const isNew = sysId === "new";
  if (isNew && !view.canWrite) forbidden();
  if (!isNew && (!sysIdPattern.test(sysId) || !inst.records.get(table, sysId))) notFound();
  return (
    <RecordForm
      key={sysId}
      view={view}
      sysId={isNew ? null : sysId}
      maxAttachmentBytes={inst.config.maxAttachmentBytes}
    />
  );
}

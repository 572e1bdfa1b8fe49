import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { fromSearchParams, toSearchParams } from "@/components/records/list/list-state";
import { RecordList } from "@/components/records/list/record-list";
import { pageRoles } from "@/server/api/access";
import { tableViewFor } from "@/server/api/record-views";
import { requireUiUser } from "@/server/api/session";
import { viewOf } from "@/server/api/table-views";
import { instance } from "@/server/instance/instance";

export const dynamic = "force-dynamic";

type Params = Promise<{ table: string }>;
type Search = Promise<Record<string, string | string[] | undefined>>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { table } = await params;
  const inst = await instance();
  const def = inst.registry.get(table);
  return { title: `${def ? viewOf(def).plural : "Records"} · ${inst.config.instance}` };
}

export default async function RecordListPage({
  params,
  searchParams,
}: {
  params: Params;
  searchParams: Search;
}) {
  const { table } = await params;
  const initial = fromSearchParams(await searchParams);
  const query = toSearchParams(initial).toString();
  const user = await requireUiUser({
    path: `/records/${table}${query ? `?${query}` : ""}`,
    anyOf: pageRoles.records,
  });
  const view = tableViewFor((await instance()).records, user, table);
  if (!view) notFound();
  return <RecordList key={table} view={view} initial={initial} />;
}

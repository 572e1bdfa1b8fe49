import { notFound, redirect } from "next/navigation";
import { pageRoles } from "@/server/api/access";
import { requireUiUser } from "@/server/api/session";
import { instance } from "@/server/instance/instance";

export const dynamic = "force-dynamic";

// "Try with draft" from a queue row (issue 15): finds the flow the row runs and opens its draft
// in the designer beside the row.
export default async function TryWithDraftPage({
  params,
}: {
  params: Promise<{ queue: string; id: string }>;
}) {
  const { queue, id } = await params;
  await requireUiUser({ path: `/flows/try/${queue}/${id}`, anyOf: pageRoles.flows });
  if ((queue !== "outbound" && queue !== "inbound") || !/^\d+$/.test(id)) notFound();
  let flowId: string;
  try {
    flowId = await (await instance()).sync.tryWithDraft.flowOf(queue, Number(id));
  } catch {
    notFound();
  }
  redirect(`/flows/${flowId}?try=${queue}:${id}`);
}

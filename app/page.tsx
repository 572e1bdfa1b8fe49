import { redirect } from "next/navigation";
import { canOpen } from "@/server/api/access";
import { currentUser } from "@/server/api/session";
import { instance } from "@/server/instance/instance";

export const dynamic = "force-dynamic";

/**
 * Where "/" (and signing in without a page to return to) leads: the incident list, except for a
 * sync admin on an instance no flow record binds yet, who lands on the dashboard's first-sync
 * checklist (issue 17).
 */
export default async function Home() {
  const inst = await instance();
  const user = await currentUser(inst);
  const unconfigured = inst.sync.config.snapshot().bindingsById.size === 0;
  redirect(user && canOpen(user, "sync") && unconfigured ? "/dashboard" : "/records/incident");
}

import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { TandemMark } from "@/components/shell/top-bar";
import { InstanceBadge } from "@/components/ui/instance-badge";
import { currentUser, safeNextPath } from "@/server/api/session";
import { canUseUi } from "@/server/auth/roles";
import { instance } from "@/server/instance/instance";
import { signInAction } from "./actions";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: `Sign in · ${(await instance()).config.instance}` };
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams;
  const target = safeNextPath(next);
  const inst = await instance();
  const user = await currentUser(inst);
  if (user && canUseUi(user)) redirect(target);
  return (
    <main className="flex min-h-full items-center justify-center bg-slate-100 p-6">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex flex-col items-center gap-3 text-center">
          <TandemMark className="size-10" />
          <div>
            <h1 className="text-xl font-semibold text-slate-900">Sign in to Tandem</h1>
            <p className="mt-1 flex items-center justify-center gap-2 text-sm text-slate-600">
              Instance <InstanceBadge name={inst.config.instance} />
            </p>
          </div>
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          <LoginForm action={signInAction} next={target} />
        </div>
        <p className="mt-4 text-center text-xs text-slate-600">
          Accounts for instance-to-instance sync use the API and cannot sign in here.
        </p>
      </div>
    </main>
  );
}

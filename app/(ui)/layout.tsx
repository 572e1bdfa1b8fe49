import { forbidden } from "next/navigation";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers";
import { navSections } from "@/components/shell/nav-items";
import { SideNav } from "@/components/shell/side-nav";
import { TopBar } from "@/components/shell/top-bar";
import { canOpen } from "@/server/api/access";
import { currentUser } from "@/server/api/session";
import { canUseUi } from "@/server/auth/roles";
import { instance } from "@/server/instance/instance";

export const dynamic = "force-dynamic";

// The signed-in application shell. Each page still checks the session and its roles itself
// (requireUiUser), so the redirect to /login carries the page's own path.
export default async function UiLayout({ children }: { children: ReactNode }) {
  const inst = await instance();
  const user = await currentUser(inst);
  if (user && !canUseUi(user)) forbidden();
  const sections = user
    ? navSections
        .map((s) => ({ ...s, items: s.items.filter((item) => canOpen(user, item.area)) }))
        .filter((s) => s.items.length > 0)
    : [];
  return (
    <Providers>
      <div className="min-h-full">
        <TopBar
          instanceName={inst.config.instance}
          user={user ? { name: user.name, userName: user.userName, roles: [...user.roles] } : null}
        />
        <div className="flex min-h-[calc(100vh-3rem)]">
          <aside className="w-56 shrink-0 border-r border-slate-200 bg-white">
            <div className="sticky top-12 max-h-[calc(100vh-3rem)] overflow-y-auto">
              <SideNav sections={sections} />
            </div>
          </aside>
          <main className="min-w-0 flex-1">{children}</main>
        </div>
      </div>
    </Providers>
  );
}

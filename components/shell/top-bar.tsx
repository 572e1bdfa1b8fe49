import Link from "next/link";
import { buttonClass, focusRing } from "../ui/button";
import { icons } from "../ui/icons";
import { InstanceBadge } from "../ui/instance-badge";

export function TopBar({
  instanceName,
  user,
}: {
  instanceName: string;
  user: { name: string; userName: string; roles: string[] } | null;
}) {
  return (
    <header className="sticky top-0 z-30 flex h-12 items-center gap-3 bg-slate-900 px-4 text-white">
      <Link href="/" className={`flex items-center gap-2 rounded ${focusRing}`}>
        <TandemMark />
        <span className="text-sm font-semibold tracking-tight">Tandem</span>
      </Link>
      <InstanceBadge name={instanceName} />
      <div className="flex-1" />
      {user ? (
        <>
          <div className="text-right leading-tight" data-testid="signed-in-user">
            <div className="text-sm font-medium">{user.name}</div>
            <div className="text-[11px] text-slate-400">
              {user.userName} · {user.roles.join(", ") || "no roles"}
            </div>
          </div>
          <form action="/logout" method="post">
            <button type="submit" data-testid="logout" className={buttonClass("inverse", "sm")}>
              {icons.logout()}
              Sign out
            </button>
          </form>
        </>
      ) : null}
    </header>
  );
}

export function TandemMark({ className = "size-6" }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" className={className} role="img" aria-label="Tandem">
      <title>Tandem</title>
      <rect width="32" height="32" rx="7" fill="#0f766e" />
      <circle cx="11" cy="16" r="6" fill="none" stroke="#ccfbf1" strokeWidth="2.5" />
      <circle cx="21" cy="16" r="6" fill="none" stroke="#5eead4" strokeWidth="2.5" />
    </svg>
  );
}

import Link from "next/link";
import { focusRing } from "../ui/button";
import { InstanceBadge } from "../ui/instance-badge";
import { AccountMenu } from "./account-menu";

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
      {user ? <AccountMenu user={user} /> : null}
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

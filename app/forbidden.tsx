import Link from "next/link";
import { TandemMark } from "@/components/shell/top-bar";
import { buttonClass } from "@/components/ui/button";
import { currentUser } from "@/server/api/session";

// Rendered with HTTP 403 whenever a page calls forbidden(): a signed-in user whose roles do not
// open the page, or a sync_api-only account, which may never use the UI (SPEC 1.3).
export default async function Forbidden() {
  const user = await currentUser();
  const apiOnly = user !== null && user.roles.size === 1 && user.roles.has("sync_api");
  return (
    <main className="flex min-h-full items-center justify-center p-6">
      <div
        data-testid="forbidden"
        className="w-full max-w-md rounded-lg border border-slate-200 bg-white p-8 shadow-sm"
      >
        <TandemMark className="size-8" />
        <p className="mt-4 text-xs font-semibold tracking-wider text-red-700 uppercase">
          403 · Access denied
        </p>
        <h1 className="mt-1 text-lg font-semibold text-slate-900">
          {apiOnly ? "This account cannot use the Tandem UI" : "You do not have access to this page"}
        </h1>
        <p className="mt-2 text-sm text-slate-600">
          {apiOnly
            ? "It holds only the sync_api role, which is for instance-to-instance sync over the API."
            : "Your roles do not include one this page needs. Ask an administrator if you need it."}
        </p>
        {user ? (
          <p className="mt-3 text-xs text-slate-500">
            Signed in as {user.userName} ({[...user.roles].join(", ") || "no roles"}).
          </p>
        ) : null}
        <div className="mt-6 flex gap-2">
          {!apiOnly ? (
            <Link href="/" className={buttonClass("secondary")}>
              Go to start page
            </Link>
          ) : null}
          <form action="/logout" method="post">
            <button type="submit" className={buttonClass("primary")}>
              Sign out
            </button>
          </form>
        </div>
      </div>
    </main>
  );
}

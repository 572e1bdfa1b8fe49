import Link from "next/link";
import { TandemMark } from "@/components/shell/top-bar";
import { buttonClass } from "@/components/ui/button";

export default function NotFound() {
  return (
    <main className="flex min-h-full items-center justify-center p-6">
      <div
        data-testid="not-found"
        className="w-full max-w-md rounded-lg border border-slate-200 bg-white p-8 shadow-sm"
      >
        <TandemMark className="size-8" />
        <p className="mt-4 text-xs font-semibold tracking-wider text-slate-500 uppercase">404 · Not found</p>
        <h1 className="mt-1 text-lg font-semibold text-slate-900">There is nothing at this address</h1>
        <p className="mt-2 text-sm text-slate-600">
          The page or record may have been deleted, or the link is mistyped.
        </p>
        <Link href="/" className={`${buttonClass("secondary")} mt-6`}>
          Go to start page
        </Link>
      </div>
    </main>
  );
}

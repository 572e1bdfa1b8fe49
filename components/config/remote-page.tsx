"use client";

import Link from "next/link";
import { problemOf } from "../trpc/errors";
import { EmptyState } from "../ui/empty-state";
import { PageHeader } from "../ui/page-header";
import { LoadError, LoadingCards } from "./config-bits";
import { RemoteForm } from "./remote-form";
import { useConfig } from "./use-config";

/** /sync/remotes/<id> (or /new): one remote system with its states and Validate and Activate. */
export function RemotePage({ id, definitionId }: { id: string; definitionId: string | null }) {
  const { overview, choices } = useConfig();
  if (overview.isError)
    return <LoadError message={problemOf(overview.error).message} onRetry={() => overview.refetch()} />;
  if (choices.isError)
    return <LoadError message={problemOf(choices.error).message} onRetry={() => choices.refetch()} />;
  if (!overview.data || !choices.data) return <LoadingCards />;
  const remote = id === "new" ? null : (overview.data.remotes.find((r) => r.id === id) ?? undefined);
  return (
    <>
      <PageHeader
        title={remote ? `Remote system ${remote.name}` : "New remote system"}
        subtitle={remote?.description}
      >
        <Link href="/sync" className="text-xs text-slate-500 hover:text-brand-700">
          ← Sync configuration
        </Link>
      </PageHeader>
      <div className="p-6">
        {remote === undefined ? (
          <EmptyState title="No such remote system" testId="remote-missing" />
        ) : (
          <RemoteForm
            key={remote?.id ?? "new"}
            remote={remote}
            definitionId={definitionId}
            overview={overview.data}
            choices={choices.data}
          />
        )}
      </div>
    </>
  );
}

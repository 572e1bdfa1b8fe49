"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState } from "react";
import type { TableViewOutput } from "@/server/api/routers/records.types";
import { useTRPC } from "../../trpc/client";
import { problemOf } from "../../trpc/errors";
import { Button, buttonClass } from "../../ui/button";
import { EmptyState } from "../../ui/empty-state";
import { PageHeader } from "../../ui/page-header";
import { useDebounced } from "../../ui/use-debounced";
import { columnOfView } from "../columns";
import { encodedQuery, type ListState, nextSort, pageSize, toSearchParams } from "./list-state";
import { ListTable } from "./list-table";
import { ListToolbar } from "./list-toolbar";
import { Pager } from "./pager";

function countLabel(total: number, filtered: boolean): string {
  const noun = total === 1 ? "record" : "records";
  if (!filtered) return `${total} ${noun}`;
  return `${total} ${noun} ${total === 1 ? "matches" : "match"}`;
}

/** The list view of one table: search, filter, sort and page, all kept in the URL. */
export function RecordList({ view, initial }: { view: TableViewOutput; initial: ListState }) {
  const trpc = useTRPC();
  const [state, setState] = useState<ListState>(initial);
  const text = useDebounced(state.text, 300);
  const effective = { ...state, text };
  const query = encodedQuery(view, effective);
  const sort = state.sort ?? view.orderBy;

  // The URL follows the state, so a filtered list can be bookmarked, shared and gone back to.
  useEffect(() => {
    const params = toSearchParams({ ...state, text }).toString();
    window.history.replaceState(null, "", params ? `?${params}` : window.location.pathname);
  }, [state, text]);

  const list = useQuery(
    trpc.records.list.queryOptions(
      { table: view.name, query, limit: pageSize, offset: (state.page - 1) * pageSize },
      { placeholderData: keepPreviousData },
    ),
  );
  const update = (patch: Partial<ListState>) => setState((s) => ({ ...s, page: 1, ...patch }));
  const filtered = text.trim() !== "" || state.filter !== null;
  const columns = list.data?.columns ?? view.columns.map((c) => columnOfView(view, c));
  const newHref = `/records/${view.name}/new`;

  return (
    <div className="flex min-h-[calc(100vh-3rem)] flex-col">
      <PageHeader
        title={view.plural}
        subtitle={list.data ? countLabel(list.data.total, filtered) : "Loading…"}
        actions={
          view.canWrite ? (
            <Link href={newHref} className={buttonClass("primary")} data-testid="list-new">
              New
            </Link>
          ) : null
        }
      />
      <ListToolbar
        view={view}
        text={state.text}
        onText={(t) => update({ text: t })}
        filter={state.filter}
        onFilter={(f) => update({ filter: f })}
        query={query}
      />
      <div className="flex-1">
        {list.isError ? (
          <div className="p-6">
            <div
              role="alert"
              data-testid="list-error"
              className="rounded border border-red-200 bg-red-50 p-4 text-sm text-red-900"
            >
              <p className="font-medium">The list could not be loaded.</p>
              <p className="mt-1">{problemOf(list.error).message}</p>
              <Button className="mt-3" onClick={() => list.refetch()} data-testid="list-retry">
                Retry
              </Button>
            </div>
          </div>
        ) : (
          <>
            <ListTable
              table={view.name}
              columns={columns}
              rows={list.data?.rows ?? []}
              loading={list.isPending}
              sort={sort}
              onSort={(field) => setState((s) => ({ ...s, sort: nextSort(s.sort, view.orderBy, field) }))}
            />
            {list.data && list.data.total === 0 ? (
              <div className="p-6">
                <EmptyState
                  testId="list-empty"
                  title={
                    filtered
                      ? `No ${view.plural.toLowerCase()} match this filter`
                      : `No ${view.plural.toLowerCase()} yet`
                  }
                  action={
                    filtered ? (
                      <Button onClick={() => update({ text: "", filter: null })}>
                        Clear search and filter
                      </Button>
                    ) : view.canWrite ? (
                      <Link href={newHref} className={buttonClass("primary")}>
                        New {view.label.toLowerCase()}
                      </Link>
                    ) : null
                  }
                >
                  {filtered ? (
                    <>
                      Nothing matches <code className="font-mono text-xs">{query}</code>.
                    </>
                  ) : (
                    `${view.plural} you create appear here.`
                  )}
                </EmptyState>
              </div>
            ) : null}
          </>
        )}
      </div>
      <footer className="sticky bottom-0 flex items-center justify-end border-t border-slate-200 bg-white px-6 py-2">
        <Pager
          page={state.page}
          total={list.data?.total ?? 0}
          busy={list.isFetching}
          onPage={(page) => setState((s) => ({ ...s, page }))}
        />
      </footer>
    </div>
  );
}

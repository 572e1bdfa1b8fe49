"use client";

import { type ReactNode, useEffect, useRef } from "react";
import { Button } from "../ui/button";
import { Skeleton } from "../ui/skeleton";

/** A related list on a definition: a titled table with a New button (SPEC 2's order is the page's). */
export function RelatedList({
  title,
  count,
  onNew,
  newLabel,
  testId,
  children,
  empty,
}: {
  title: string;
  count: number;
  onNew?: () => void;
  newLabel?: string;
  testId: string;
  children: ReactNode;
  empty: string;
}) {
  return (
    <section aria-label={title} data-testid={testId} className="rounded-lg border border-slate-200 bg-white">
      <header className="flex items-center justify-between border-b border-slate-100 px-4 py-2.5">
        <h2 className="text-sm font-semibold text-slate-800">
          {title} <span className="font-normal text-slate-500">{count}</span>
        </h2>
        {onNew ? (
          <Button size="sm" onClick={onNew} data-testid={`${testId}-new`}>
            {newLabel ?? "New"}
          </Button>
        ) : null}
      </header>
      {count === 0 ? <p className="px-4 py-3 text-sm text-slate-500">{empty}</p> : children}
    </section>
  );
}

export function Table({ head, children }: { head: string[]; children: ReactNode }) {
  return (
    <table className="w-full text-left text-sm">
      <thead className="bg-slate-50 text-[11px] text-slate-500 uppercase">
        <tr>
          {head.map((h) => (
            <th key={h} className="px-4 py-1.5 font-medium">
              {h || <span className="sr-only">Actions</span>}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">{children}</tbody>
    </table>
  );
}

/** A form card that opens under a related list. */
export function FormCard({
  title,
  children,
  onCancel,
  onSave,
  saving,
  testId,
}: {
  title: string;
  children: ReactNode;
  onCancel: () => void;
  onSave: () => void;
  saving?: boolean;
  testId: string;
}) {
  // Keyboard users land in the form they just opened.
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>("input, select, textarea")?.focus();
  }, []);
  return (
    <form
      ref={ref}
      data-testid={testId}
      aria-label={title}
      onSubmit={(e) => {
        e.preventDefault();
        onSave();
      }}
      onKeyDown={(e) => {
        if (e.key === "Escape") onCancel();
      }}
      className="rounded-lg border border-brand-500 bg-white shadow-sm"
    >
      <h3 className="border-b border-slate-100 px-4 py-2.5 text-sm font-semibold text-slate-800">{title}</h3>
      <div className="flex flex-col gap-4 p-4">{children}</div>
      <div className="flex justify-end gap-2 border-t border-slate-100 bg-slate-50 px-4 py-2.5">
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="primary" disabled={saving} data-testid={`${testId}-save`}>
          {saving ? "Saving…" : "Save"}
        </Button>
      </div>
    </form>
  );
}

export function LoadingCards() {
  return (
    <div className="flex flex-col gap-3 p-6" data-testid="config-loading" aria-busy="true">
      <Skeleton className="h-24 w-full" />
      <Skeleton className="h-24 w-full" />
    </div>
  );
}

export function LoadError({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <div
      role="alert"
      data-testid="config-error"
      className="m-6 rounded border border-red-200 bg-red-50 p-4 text-sm text-red-900"
    >
      The sync configuration could not be loaded: {message}
      <Button className="ml-3" size="sm" onClick={onRetry}>
        Retry
      </Button>
    </div>
  );
}

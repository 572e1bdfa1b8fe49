import type { ReactNode } from "react";

/** A titled card on the record form (journal, attachments, history). */
export function Section({
  title,
  count,
  actions,
  children,
  testId,
}: {
  title: string;
  count?: number;
  actions?: ReactNode;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <section data-testid={testId} className="rounded-lg border border-slate-200 bg-white" aria-label={title}>
      <header className="flex items-center justify-between gap-3 border-b border-slate-100 px-5 py-3">
        <h2 className="text-sm font-semibold text-slate-800">
          {title}
          {count !== undefined ? <span className="ml-1.5 font-normal text-slate-500">{count}</span> : null}
        </h2>
        {actions}
      </header>
      <div className="px-5 py-4">{children}</div>
    </section>
  );
}

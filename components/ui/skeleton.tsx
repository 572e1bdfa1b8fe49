export function Skeleton({ className = "" }: { className?: string }) {
  return <span aria-hidden="true" className={`block animate-pulse rounded bg-slate-200 ${className}`} />;
}

/** Placeholder rows while a list loads, shaped like the table that will replace them. */
export function TableSkeleton({ columns, rows = 8 }: { columns: number; rows?: number }) {
  return (
    <tbody data-testid="list-loading" aria-busy="true">
      {Array.from({ length: rows }, (_, r) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholder rows have no identity
        <tr key={r} className="border-b border-slate-100">
          {Array.from({ length: columns }, (_, c) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: placeholder cells have no identity
            <td key={c} className="px-3 py-2.5">
              <Skeleton className={c === 1 ? "h-3 w-56" : "h-3 w-20"} />
            </td>
          ))}
        </tr>
      ))}
    </tbody>
  );
}

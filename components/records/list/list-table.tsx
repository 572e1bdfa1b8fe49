"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import type { ReactNode } from "react";
import { focusRing } from "../../ui/button";
import { icons } from "../../ui/icons";
import { TableSkeleton } from "../../ui/skeleton";

export interface ListColumn {
  name: string;
  label: string;
  type: string;
}

export interface ListRow {
  sysId: string;
  values: Record<string, string>;
  display: Record<string, string>;
}

const priorityTone: Record<string, string> = {
  "1": "bg-red-500",
  "2": "bg-orange-400",
  "3": "bg-amber-300",
  "4": "bg-sky-300",
  "5": "bg-slate-300",
};

function Cell({ column, row }: { column: ListColumn; row: ListRow }): ReactNode {
  const value = row.values[column.name] ?? "";
  const shown = row.display[column.name] ?? value;
  if (column.type === "boolean") return value === "" ? "" : value === "true" ? "Yes" : "No";
  if (column.name === "priority" && value) {
    return (
      <span className="inline-flex items-center gap-1.5">
        <span aria-hidden="true" className={`size-2 rounded-full ${priorityTone[value] ?? "bg-slate-300"}`} />
        {shown}
      </span>
    );
  }
  if (column.type === "datetime") return <span className="whitespace-nowrap tabular-nums">{shown}</span>;
  return shown;
}

/** A dense, sortable table of records; the first column links to the record's form. */
export function ListTable({
  table,
  columns,
  rows,
  loading,
  sort,
  onSort,
}: {
  table: string;
  columns: ListColumn[];
  rows: ListRow[];
  loading: boolean;
  sort: { field: string; descending: boolean };
  onSort: (field: string) => void;
}) {
  const router = useRouter();
  return (
    <table className="w-full border-collapse text-sm" data-testid="record-list">
      <thead className="sticky top-12 z-10 bg-slate-100 text-left text-xs text-slate-600">
        <tr>
          {columns.map((c) => {
            const active = sort.field === c.name;
            return (
              <th
                key={c.name}
                scope="col"
                aria-sort={active ? (sort.descending ? "descending" : "ascending") : "none"}
                className="border-b border-slate-200 px-3 py-2 font-semibold"
              >
                <button
                  type="button"
                  data-testid={`sort-${c.name}`}
                  onClick={() => onSort(c.name)}
                  className={`inline-flex items-center gap-1 rounded hover:text-slate-900 ${focusRing}`}
                >
                  {c.label}
                  <span className={active ? "text-brand-700" : "text-transparent"}>
                    {active && !sort.descending ? icons.sortUp("size-3.5") : icons.sortDown("size-3.5")}
                  </span>
                </button>
              </th>
            );
          })}
        </tr>
      </thead>
      {loading ? (
        <TableSkeleton columns={columns.length} />
      ) : (
        <tbody>
          {rows.map((row) => {
            const href = `/records/${table}/${row.sysId}`;
            return (
              <tr
                key={row.sysId}
                data-testid="record-row"
                onClick={(e) => {
                  if ((e.target as HTMLElement).closest("a")) return;
                  router.push(href);
                }}
                className="cursor-pointer border-b border-slate-100 bg-white hover:bg-brand-50/60"
              >
                {columns.map((c, i) => (
                  <td key={c.name} className="max-w-md truncate px-3 py-2 text-slate-800">
                    {i === 0 ? (
                      <Link
                        href={href}
                        className={`rounded font-medium text-brand-700 hover:underline ${focusRing}`}
                      >
                        {row.display[c.name] || row.values[c.name] || "(empty)"}
                      </Link>
                    ) : (
                      <Cell column={c} row={row} />
                    )}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      )}
    </table>
  );
}

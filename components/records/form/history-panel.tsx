"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { TableViewOutput } from "@/server/api/routers/records.types";
import { useTRPC } from "../../trpc/client";
import { problemOf } from "../../trpc/errors";
import { Button } from "../../ui/button";
import { Section } from "./section";

interface AuditRow {
  id: number;
  at: string;
  user: string;
  origin: string;
  operation: string;
  field: string | null;
  fieldLabel: string | null;
  oldValue: string | null;
  newValue: string | null;
}

const verbs: Record<string, string> = {
  create: "created the record",
  update: "changed",
  delete: "deleted the record",
  journal: "wrote in",
  attach: "attached a file",
  detach: "removed a file",
};

/** One change = the audit rows written together (same time, user and operation). */
function group(rows: AuditRow[]): AuditRow[][] {
  const groups: AuditRow[][] = [];
  for (const row of rows) {
    const last = groups[groups.length - 1];
    const head = last?.[0];
    if (head && head.at === row.at && head.user === row.user && head.operation === row.operation)
      last.push(row);
    else groups.push([row]);
  }
  return groups;
}

function Change({ row }: { row: AuditRow }) {
  if (row.operation === "attach" || row.operation === "detach") return <>{row.newValue ?? row.oldValue}</>;
  if (row.operation === "journal") return <>{row.fieldLabel}</>;
  return (
    <>
      <span className="font-medium text-slate-700">{row.fieldLabel}</span>
      {row.operation === "update" ? (
        <>
          : <span className="text-slate-500 line-through">{row.oldValue || "(empty)"}</span> →{" "}
        </>
      ) : (
        ": "
      )}
      <span className="text-slate-800">{row.newValue || "(empty)"}</span>
    </>
  );
}

/** Who changed what and when (the audit trail), loaded when opened. */
export function HistoryPanel({ view, sysId }: { view: TableViewOutput; sysId: string }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const history = useQuery(trpc.records.history.queryOptions({ table: view.name, sysId }, { enabled: open }));
  return (
    <Section
      title="History"
      testId="history"
      actions={
        <Button
          size="sm"
          variant="ghost"
          onClick={() => setOpen(!open)}
          aria-expanded={open}
          data-testid="history-toggle"
        >
          {open ? "Hide" : "Show"}
        </Button>
      }
    >
      {!open ? (
        <p className="text-sm text-slate-500">
          Every change to this {view.label.toLowerCase()}: who, when, and from where.
        </p>
      ) : history.isError ? (
        <p className="text-sm text-red-700">
          History could not be loaded: {problemOf(history.error).message}
        </p>
      ) : history.isPending ? (
        <p className="text-sm text-slate-500">Loading history…</p>
      ) : (
        <ol className="flex flex-col gap-3 text-sm" data-testid="history-list">
          {group(history.data).map((rows) => {
            const head = rows[0] as AuditRow;
            const detailed = head.operation !== "delete";
            return (
              <li key={head.id} className="border-l-2 border-slate-200 pl-3">
                <p className="text-xs text-slate-500">
                  <time className="tabular-nums">{head.at} UTC</time> ·{" "}
                  <span className="font-medium text-slate-700">{head.user}</span>{" "}
                  {verbs[head.operation] ?? head.operation}{" "}
                  <span className="text-slate-500">via {head.origin}</span>
                </p>
                {detailed ? (
                  <ul className="mt-1 flex flex-col gap-0.5 text-xs text-slate-600">
                    {rows
                      .filter((r) => r.field !== null)
                      .map((r) => (
                        <li key={`${r.id}:${r.field}`} className="truncate">
                          <Change row={r} />
                        </li>
                      ))}
                  </ul>
                ) : null}
              </li>
            );
          })}
        </ol>
      )}
    </Section>
  );
}

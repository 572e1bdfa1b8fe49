"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { CanvasGraph } from "@/flows";
import { useTRPC } from "../../trpc/client";
import { Button } from "../../ui/button";
import { useEditorApi } from "../store/context";
import { DiffDialog } from "./diff-dialog";

/** Published versions, newest first; compare any two (or the draft) on the canvas. */
export function HistoryPanel({ flowId }: { flowId: string }) {
  const trpc = useTRPC();
  const api = useEditorApi();
  const versions = useQuery(trpc.flows.versions.queryOptions({ id: flowId }));
  const [from, setFrom] = useState<string>("");
  const [to, setTo] = useState<string>("draft");
  const [open, setOpen] = useState(false);
  const list = versions.data ?? [];
  const fromValue = from || (list[0] ? String(list[0].version) : "");
  const options = [
    { value: "draft", label: "Current draft" },
    ...list.map((v) => ({ value: String(v.version), label: `Version ${v.version}` })),
  ];
  return (
    <div className="space-y-3 p-3" data-testid="history-panel">
      {list.length === 0 ? (
        <p className="text-[12px] text-slate-500">
          Not published yet. Publishing stores an immutable, numbered version.
        </p>
      ) : (
        <ol className="divide-y divide-slate-100 rounded border border-slate-200">
          {list.map((v) => (
            <li key={v.version} className="px-2 py-1.5 text-[12px]" data-testid={`version-${v.version}`}>
              <span className="font-medium text-slate-800">Version {v.version}</span>
              <span className="block text-slate-500">
                {new Date(v.publishedAt).toLocaleString()} · {v.publishedBy}
              </span>
            </li>
          ))}
        </ol>
      )}
      {list.length > 0 && (
        <div className="space-y-2 rounded border border-slate-200 p-2">
          <p className="text-[12px] font-medium text-slate-700">Compare</p>
          <div className="flex items-center gap-1 text-[12px]">
            <select
              value={fromValue}
              onChange={(e) => setFrom(e.target.value)}
              data-testid="diff-from"
              className="h-7 flex-1 rounded border border-slate-300 bg-white"
            >
              {options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
            <span>→</span>
            <select
              value={to}
              onChange={(e) => setTo(e.target.value)}
              data-testid="diff-to"
              className="h-7 flex-1 rounded border border-slate-300 bg-white"
            >
              {options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
          <Button size="sm" onClick={() => setOpen(true)} data-testid="diff-show">
            Show differences
          </Button>
        </div>
      )}
      {open && (
        <DiffDialog
          flowId={flowId}
          from={fromValue}
          to={to}
          draft={(): CanvasGraph => api.getState().graph()}
          onClose={() => setOpen(false)}
        />
      )}
    </div>
  );
}

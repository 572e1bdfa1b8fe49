"use client";

import { useMemo, useState } from "react";
import { useEditor } from "../store/context";
import { type PillEntry, pillSources } from "./pill-tree";

export const PILL_MIME = "application/x-tandem-pill";

const kindTone: Record<string, string> = {
  string: "text-sky-700",
  number: "text-violet-700",
  boolean: "text-amber-700",
  object: "text-slate-500",
  array: "text-emerald-700",
  any: "text-slate-500",
};

function Entry({ entry, onPick, depth }: { entry: PillEntry; onPick: (p: string[]) => void; depth: number }) {
  const [open, setOpen] = useState(false);
  const dotted = entry.path.join(".");
  return (
    <li>
      <div className="flex items-center gap-1" style={{ paddingLeft: depth * 12 }}>
        {entry.children.length > 0 ? (
          <button
            type="button"
            aria-label={open ? `Collapse ${entry.key}` : `Expand ${entry.key}`}
            data-testid={`pill-toggle-${dotted}`}
            onClick={() => setOpen(!open)}
            className="w-4 text-xs text-slate-500"
          >
            {open ? "▾" : "▸"}
          </button>
        ) : (
          <span className="w-4" />
        )}
        <button
          type="button"
          draggable
          data-testid={`pill-${dotted}`}
          title={`${dotted} (${entry.type})`}
          onDragStart={(e) => e.dataTransfer.setData(PILL_MIME, JSON.stringify(entry.path))}
          onClick={() => onPick(entry.path)}
          className="flex min-w-0 items-center gap-1.5 rounded-full border border-brand-500/40 bg-brand-50 px-2 py-0.5 text-[12px] text-brand-900 hover:bg-brand-100"
        >
          <span className="truncate">{entry.key}</span>
          <span className={`text-[10px] ${kindTone[entry.type] ?? ""}`}>{entry.type}</span>
        </button>
      </div>
      {open && (
        <ul>
          {entry.children.map((c) => (
            <Entry key={c.key} entry={c} onPick={onPick} depth={depth + 1} />
          ))}
        </ul>
      )}
    </li>
  );
}

/** The data-pill picker: a tree per source; click a pill to put it into the active field, or drag it. */
export function PillPicker({
  nodeId,
  target,
  onPick,
}: {
  nodeId: string;
  target: string | null;
  onPick: (path: string[]) => void;
}) {
  const nodes = useEditor((s) => s.nodes);
  const edges = useEditor((s) => s.edges);
  const graph = useEditor((s) => s.graph);
  // biome-ignore lint/correctness/useExhaustiveDependencies: recompute when the graph changes
  const sources = useMemo(() => pillSources(graph(), nodeId), [graph, nodeId, nodes, edges]);
  const [openSource, setOpenSource] = useState<string | null>(null);
  return (
    <section data-testid="pill-picker" className="border-t border-slate-200 p-3">
      <h3 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Data</h3>
      <p className="mb-2 text-[11px] text-slate-500">
        {target ? (
          <>
            Click a pill to put it into <b className="text-slate-700">{target}</b>, or drag it onto a field.
          </>
        ) : (
          "Choose a field's “Pill” mode, then click a pill — or drag one onto a field."
        )}
      </p>
      <ul className="space-y-1">
        {sources.map((s) => {
          const open = openSource === s.id || (openSource === null && s.id === "inputs");
          return (
            <li key={s.id} className="rounded border border-slate-200">
              <button
                type="button"
                data-testid={`pill-source-${s.id}`}
                onClick={() => setOpenSource(open ? "" : s.id)}
                className="flex w-full items-center justify-between px-2 py-1 text-left text-[12px] font-medium text-slate-700 hover:bg-slate-50"
              >
                {s.title}
                <span className="text-slate-500">{open ? "▾" : "▸"}</span>
              </button>
              {open && (
                <ul className="space-y-0.5 px-1 pb-1.5">
                  {s.entries.length === 0 && <li className="px-2 text-[11px] text-slate-500">No outputs</li>}
                  {s.entries.map((e) => (
                    <Entry key={e.key} entry={e} onPick={onPick} depth={0} />
                  ))}
                </ul>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

"use client";

import { useEditor } from "../store/context";

/** Every diagnostic of the draft; clicking one selects its node and brings it into view. */
export function DiagnosticsList({ onFocus }: { onFocus: (nodeId: string) => void }) {
  const diagnostics = useEditor((s) => s.diagnostics);
  if (diagnostics.length === 0) {
    return (
      <div className="p-4 text-sm text-slate-600" data-testid="diagnostics-empty">
        <p className="font-medium text-emerald-700">No problems</p>
        <p className="mt-1 text-[12px]">The draft compiles; it can be published.</p>
      </div>
    );
  }
  return (
    <ul className="divide-y divide-slate-100" data-testid="diagnostics-list">
      {diagnostics.map((d, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: diagnostics are recomputed as a whole
        <li key={i}>
          <button
            type="button"
            disabled={!d.nodeId}
            onClick={() => d.nodeId && onFocus(d.nodeId)}
            data-testid="diagnostic"
            data-code={d.code}
            data-node={d.nodeId}
            className="flex w-full gap-2 px-3 py-2 text-left hover:bg-slate-50 disabled:cursor-default"
          >
            <span
              className={`mt-0.5 size-2 shrink-0 rounded-full ${d.severity === "error" ? "bg-red-600" : "bg-amber-500"}`}
            />
            <span className="min-w-0">
              <span className="block text-[12px] text-slate-800">{d.message}</span>
              <span className="font-mono text-[10px] text-slate-500">
                {d.code}
                {d.nodeId ? ` · ${d.nodeId}` : ""}
              </span>
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}

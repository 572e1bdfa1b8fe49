"use client";

import { useReactFlow } from "@xyflow/react";
import Link from "next/link";
import type { ChangeEvent } from "react";
import { Button } from "../ui/button";
import { Tip } from "../ui/tooltip";
import { useEditor, useEditorApi } from "./store/context";
import type { SaveStatus } from "./use-editor-effects";

const saveText: Record<SaveStatus, string> = {
  saved: "Saved",
  saving: "Saving…",
  unsaved: "Unsaved",
  error: "Not saved — retrying on the next change",
};

export interface ToolbarProps {
  status: SaveStatus;
  latestVersion: number | null;
  publishing: boolean;
  onPublish: () => void;
  onExport: () => void;
  onImport: (file: File) => void;
  onHelp: () => void;
}

/** Flow name and state on the left; history, layout, import/export and publish on the right. */
export function Toolbar(p: ToolbarProps) {
  const api = useEditorApi();
  const flow = useReactFlow();
  const name = useEditor((s) => s.meta.name);
  const kind = useEditor((s) => s.meta.kind);
  const canUndo = useEditor((s) => s.past.length > 0);
  const canRedo = useEditor((s) => s.future.length > 0);
  const errors = useEditor((s) => s.diagnostics.filter((d) => d.severity === "error").length);
  const onFile = (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (file) p.onImport(file);
    e.target.value = "";
  };
  return (
    <div className="flex items-center gap-2 border-b border-slate-200 bg-white px-3 py-2">
      <Link href="/flows" className="text-sm text-slate-500 hover:text-slate-800" aria-label="All flows">
        ← Flows
      </Link>
      <h1 className="ml-1 truncate text-base font-semibold text-slate-900" data-testid="editor-title">
        {name}
      </h1>
      <span className="rounded bg-slate-100 px-1.5 py-0.5 text-[11px] text-slate-600">{kind}</span>
      <span
        className="rounded bg-slate-100 px-1.5 py-0.5 text-[11px] text-slate-600"
        data-testid="editor-version"
      >
        {p.latestVersion ? `v${p.latestVersion} published` : "never published"}
      </span>
      <span
        data-testid="save-status"
        data-status={p.status}
        className={`text-[12px] ${p.status === "error" ? "text-red-700" : p.status === "saved" ? "text-slate-500" : "text-amber-700"}`}
      >
        {saveText[p.status]}
      </span>
      <div className="ml-auto flex items-center gap-1">
        <Tip label="Undo (Ctrl+Z)">
          <Button
            size="sm"
            variant="ghost"
            disabled={!canUndo}
            onClick={() => api.getState().undo()}
            data-testid="undo"
          >
            Undo
          </Button>
        </Tip>
        <Tip label="Redo (Ctrl+Shift+Z)">
          <Button
            size="sm"
            variant="ghost"
            disabled={!canRedo}
            onClick={() => api.getState().redo()}
            data-testid="redo"
          >
            Redo
          </Button>
        </Tip>
        <Tip label="Auto-layout (L)">
          <Button
            size="sm"
            variant="ghost"
            data-testid="auto-layout"
            onClick={() => {
              api.getState().layout();
              requestAnimationFrame(() => void flow.fitView({ padding: 0.15, duration: 200 }));
            }}
          >
            Layout
          </Button>
        </Tip>
        <Tip label="Download the flow as JSON">
          <Button size="sm" variant="ghost" onClick={p.onExport} data-testid="export">
            Export
          </Button>
        </Tip>
        <label
          className="inline-flex h-7 cursor-pointer items-center rounded px-2.5 text-xs font-medium text-slate-600 hover:bg-slate-100"
          title="Create a flow from a JSON file"
        >
          Import
          <input
            type="file"
            accept="application/json,.json"
            className="sr-only"
            onChange={onFile}
            data-testid="import-file"
          />
        </label>
        <Tip label="Keyboard shortcuts (?)">
          <Button size="sm" variant="ghost" onClick={p.onHelp} aria-label="Keyboard shortcuts">
            ?
          </Button>
        </Tip>
        <Tip label={errors ? `${errors} error(s) to fix first` : "Publish a new version"}>
          <Button variant="primary" onClick={p.onPublish} disabled={p.publishing} data-testid="publish">
            {p.publishing ? "Publishing…" : "Publish"}
          </Button>
        </Tip>
      </div>
    </div>
  );
}

"use client";

import { useReactFlow } from "@xyflow/react";
import { useMemo, useState } from "react";
import { paletteGroups } from "@/flows";
import { PALETTE_MIME } from "./canvas";
import { groupTone } from "./nodes/flow-node";
import { useEditor, useEditorApi } from "./store/context";

const GROUPS = paletteGroups();

/** Node types by SPEC group; drag one onto the canvas, or click to add it at the view's centre. */
export function Palette() {
  const api = useEditorApi();
  const readOnly = useEditor((s) => s.readOnly);
  const flow = useReactFlow();
  const [text, setText] = useState("");
  const groups = useMemo(() => {
    const q = text.trim().toLowerCase();
    if (!q) return GROUPS;
    return GROUPS.map((g) => ({
      ...g,
      types: g.types.filter((t) => `${t.label} ${t.description} ${g.group}`.toLowerCase().includes(q)),
    })).filter((g) => g.types.length > 0);
  }, [text]);

  const addAtCentre = (typeId: string) => {
    const el = document.querySelector("[data-testid=flow-canvas]")?.getBoundingClientRect();
    const at = el
      ? flow.screenToFlowPosition({ x: el.left + el.width / 2, y: el.top + el.height / 2 })
      : { x: 0, y: 0 };
    api.getState().addNode(typeId, { x: at.x - 110 + Math.random() * 40, y: at.y - 40 + Math.random() * 40 });
  };

  return (
    <div className="flex h-full flex-col" data-testid="palette">
      <div className="border-b border-slate-200 p-2">
        <input
          type="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="Search steps…"
          aria-label="Search node types"
          className="h-8 w-full rounded border border-slate-300 px-2 text-sm outline-none focus:border-brand-500"
        />
      </div>
      <div className="flex-1 overflow-y-auto p-2">
        {groups.length === 0 && <p className="p-2 text-sm text-slate-500">No step matches “{text}”.</p>}
        {groups.map((g) => (
          <section key={g.group} className="mb-3">
            <h2 className="mb-1 flex items-center gap-1.5 px-1 text-[11px] font-semibold tracking-wide text-slate-500 uppercase">
              <span className={`size-2 rounded-sm ${groupTone[g.group]}`} />
              {g.group}
            </h2>
            <ul className="space-y-1">
              {g.types.map((t) => (
                <li key={t.id}>
                  <button
                    type="button"
                    draggable={!readOnly}
                    disabled={readOnly}
                    data-testid={`palette-${t.id}`}
                    title={t.description}
                    onDragStart={(e) => {
                      e.dataTransfer.setData(PALETTE_MIME, t.id);
                      e.dataTransfer.effectAllowed = "move";
                    }}
                    onClick={() => addAtCentre(t.id)}
                    className="w-full cursor-grab rounded border border-slate-200 bg-white px-2 py-1.5 text-left hover:border-brand-500 hover:bg-brand-50 active:cursor-grabbing disabled:cursor-not-allowed disabled:opacity-60"
                  >
                    <span className="block text-[13px] font-medium text-slate-800">{t.label}</span>
                    <span className="block truncate text-[11px] text-slate-500">{t.description}</span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
    </div>
  );
}

"use client";

import { useEffect, useState } from "react";
import { flowKindSchema } from "@/flows";
import { useEditor, useEditorApi } from "../store/context";

/** With nothing selected the inspector shows the flow itself: name, description, kind, inputs, outputs. */
export function FlowProperties() {
  const api = useEditorApi();
  const meta = useEditor((s) => s.meta);
  const readOnly = useEditor((s) => s.readOnly);
  const [name, setName] = useState(meta.name);
  const [description, setDescription] = useState(meta.description);
  useEffect(() => setName(meta.name), [meta.name]);
  useEffect(() => setDescription(meta.description), [meta.description]);
  const cls =
    "mt-1 w-full rounded border border-slate-300 px-2 py-1 text-[13px] outline-none focus:border-brand-500";
  return (
    <fieldset disabled={readOnly} className="space-y-3 p-3" data-testid="flow-properties">
      <h2 className="text-sm font-semibold text-slate-900">Flow</h2>
      <label className="block text-[12px] font-medium text-slate-700">
        Name
        <input
          value={name}
          onChange={(e) => setName(e.target.value)}
          onBlur={() => name.trim() && name !== meta.name && api.getState().setMeta({ name: name.trim() })}
          className={cls}
        />
      </label>
      <label className="block text-[12px] font-medium text-slate-700">
        Description
        <textarea
          value={description}
          rows={3}
          onChange={(e) => setDescription(e.target.value)}
          onBlur={() => description !== meta.description && api.getState().setMeta({ description })}
          className={cls}
        />
      </label>
      <label className="block text-[12px] font-medium text-slate-700">
        Kind
        <select
          value={meta.kind}
          onChange={(e) => api.getState().setMeta({ kind: flowKindSchema.parse(e.target.value) })}
          className={`${cls} bg-white`}
        >
          {flowKindSchema.options.map((k) => (
            <option key={k}>{k}</option>
          ))}
        </select>
      </label>
      {(["inputs", "outputs"] as const).map((side) => (
        <div key={side}>
          <h3 className="text-[12px] font-medium text-slate-700 capitalize">{side}</h3>
          {meta[side].length === 0 ? (
            <p className="text-[11px] text-slate-500">None</p>
          ) : (
            <ul className="mt-1 divide-y divide-slate-100 rounded border border-slate-200">
              {meta[side].map((p) => (
                <li key={p.name} className="flex justify-between px-2 py-1 text-[12px]">
                  <span className="font-mono text-slate-800">{p.name}</span>
                  <span className="text-slate-500">{p.type}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      ))}
      <p className="text-[11px] text-slate-500">
        Select a node to edit its settings; press ? for keyboard shortcuts.
      </p>
    </fieldset>
  );
}
